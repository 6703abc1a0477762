import { Module } from '@nestjs/common';
import { CorrectionsController } from './corrections.controller.js';

@Module({ controllers: [CorrectionsController] })
export class CorrectionsModule {}
