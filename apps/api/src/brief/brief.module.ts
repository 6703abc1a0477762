import { Module } from '@nestjs/common';
import { BriefController } from './brief.controller.js';
import { BriefService } from './brief-service.js';

/** The pre-session brief: its page, print view, wikitext, feed and calendar entry, and the staff pages around it. */
@Module({ controllers: [BriefController], providers: [BriefService], exports: [BriefService] })
export class BriefModule {}
