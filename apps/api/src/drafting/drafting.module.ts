import { Module } from '@nestjs/common';
import { BriefModule } from '../brief/brief.module.js';
import { SessionImporter } from '../session-files/session-importer.js';
import { BriefFirstSuggestions } from './brief-first.js';
import { DraftsController } from './drafts.controller.js';

/** Drafting a session from its published notes; the import it ends in is the session files' own. */
@Module({ imports: [BriefModule], controllers: [DraftsController], providers: [SessionImporter, BriefFirstSuggestions] })
export class DraftingModule {}
