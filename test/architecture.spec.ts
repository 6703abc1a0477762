import { ESLint } from 'eslint';

// Proves the boundary rule bites: the same linter that runs in `npm test` refuses these.
describe('domain boundary lint rule', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const lintDomain = async (code: string) => {
    const [result] = await eslint.lintText(code, { filePath: 'libs/governance/src/commitments/commitment.ts' });
    return result!.messages.map((message) => message.ruleId);
  };

  it.each([
    ["import { Injectable } from '@nestjs/common';"],
    ["import { Entity } from 'typeorm';"],
    ["import pg from 'pg';"],
    ["import { EventStoreDBClient } from '@eventstore/db-client';"],
    ["import { PGlite } from '@electric-sql/pglite';"],
    ["import { EVENT_STORE } from '#event-store';"],
    ["import { readFile } from 'node:fs/promises';"],
  ])('refuses %s in domain code', async (importLine) => {
    expect(
      await lintDomain(
        `${importLine}\nexport const used = [${importLine
          .match(/\{ (\w+) \}|import (\w+)/)!
          .slice(1)
          .find(Boolean)}];\n`,
      ),
    ).toContain('no-restricted-imports');
  });

  it.each([
    ['export const now = () => new Date();'],
    ['export const now = () => Date.now();'],
    ['export const id = () => Math.random();'],
  ])('refuses reading the clock or randomness: %s', async (code) => {
    expect(await lintDomain(code)).toContain('no-restricted-syntax');
  });

  it('accepts pure code, and the same imports outside the domain', async () => {
    expect(await lintDomain('export const at = (iso: string) => new Date(iso);\n')).toEqual([]);
    const [outside] = await eslint.lintText("import { Injectable } from '@nestjs/common';\nexport const used = [Injectable];\n", {
      filePath: 'apps/api/src/health/health.module.ts',
    });
    expect(outside!.messages).toEqual([]);
  });
});
