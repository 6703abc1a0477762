import { Module } from '@nestjs/common';
import { CorrectionsView } from './corrections-view.js';
import { CorrectionsController } from './corrections.controller.js';

@Module({ controllers: [CorrectionsController], providers: [CorrectionsView] })
export class CorrectionsModule {}
