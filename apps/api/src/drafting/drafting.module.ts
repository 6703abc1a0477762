import { Module } from '@nestjs/common';
import { SessionImporter } from '../session-files/session-importer.js';
import { DraftsController } from './drafts.controller.js';

/** Drafting a session from its published notes; the import it ends in is the session files' own. */
@Module({ controllers: [DraftsController], providers: [SessionImporter] })
export class DraftingModule {}
