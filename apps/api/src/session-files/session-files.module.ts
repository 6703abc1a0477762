import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { SessionFilesController } from './session-files.controller.js';
import { SessionImporter } from './session-importer.js';

const SEED_DIRECTORY = Symbol('SeedDirectory');

/** Loads the seed record into an empty log at start, so a newcomer sees a populated tracker. */
@Injectable()
class SeedRecord implements OnApplicationBootstrap {
  constructor(
    private readonly importer: SessionImporter,
    @Inject(SEED_DIRECTORY) private readonly directory: string | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.directory) await this.importer.seedIfEmpty(this.directory);
  }
}

@Module({})
export class SessionFilesModule {
  static forRoot({ seedDirectory }: { seedDirectory: string | null }): DynamicModule {
    return {
      module: SessionFilesModule,
      controllers: [SessionFilesController],
      providers: [SessionImporter, SeedRecord, { provide: SEED_DIRECTORY, useValue: seedDirectory }],
      exports: [SessionImporter],
    };
  }
}
