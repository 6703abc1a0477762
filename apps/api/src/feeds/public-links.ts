import { Global, Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';

const PUBLIC_BASE_URL = Symbol('PUBLIC_BASE_URL');

/**
 * Absolute links for feeds and calendars, from the configured public base URL (PUBLIC_BASE_URL).
 * Never from the request: its Host header is the client's to choose, and these answers are
 * publicly cacheable, so a link built from it could be poisoned for everyone.
 */
@Injectable()
export class PublicLinks {
  constructor(@Inject(PUBLIC_BASE_URL) readonly base: string) {}

  /** `path` starts with `/`; `query` keeps only the values that are set, in the order given. */
  to(path: string, query: Readonly<Record<string, string | undefined>> = {}): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value);
    const text = search.toString();
    return `${this.base}${path}${text ? `?${text}` : ''}`;
  }
}

@Global()
@Module({})
export class PublicLinksModule {
  static forRoot(publicBaseUrl: string): DynamicModule {
    return {
      module: PublicLinksModule,
      providers: [{ provide: PUBLIC_BASE_URL, useValue: publicBaseUrl.replace(/\/+$/, '') }, PublicLinks],
      exports: [PublicLinks],
    };
  }
}
