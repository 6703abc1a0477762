import { Global, Module } from '@nestjs/common';

/** The one place the api reads the time; tests bind their own. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date() };

/** The clock for every module of a process: the api's, or a CLI's that reads without the commands. */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
