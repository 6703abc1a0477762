import {
  DATE_PRECISIONS,
  DROP_REASONS,
  ID_PATTERN,
  LINK_RELATIONS,
  REVISIT_REPORT_KINDS,
  SESSION_KINDS,
  STRENGTHS,
} from '#governance';
import { LIMITS } from '../http/dto.js';

/** What a session file can say happened to a commitment. */
export const SESSION_FILE_UPDATE_TYPES = [
  'progress',
  'start',
  'retarget',
  'deliver',
  'partially_deliver',
  'drop',
  'supersede',
  'reopen',
] as const;

/** The session-file format; docs/session-file.schema.json is this object, kept equal by a spec. */
export const sessionFileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://commitment-tracker.example/session-file.schema.json',
  title: 'Session file',
  description:
    'What staff write after a public session: the session, the commitments made in it, what it said about earlier commitments, and progress or outcomes with the day they happened and their source. Importing a file again writes only what changed.',
  type: 'object',
  additionalProperties: false,
  required: ['session'],
  properties: {
    session: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'date', 'title', 'kind', 'hosts', 'sourceUrl'],
      properties: {
        id: {
          $ref: '#/$defs/id',
        },
        date: {
          $ref: '#/$defs/date',
        },
        title: {
          type: 'string',
          minLength: 1,
          maxLength: LIMITS.name,
        },
        kind: {
          enum: SESSION_KINDS,
        },
        hosts: {
          type: 'array',
          minItems: 1,
          maxItems: LIMITS.list,
          items: {
            $ref: '#/$defs/person',
          },
        },
        sourceUrl: {
          $ref: '#/$defs/url',
        },
      },
    },
    commitments: {
      description: 'Commitments made in this session.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'speaker', 'ownerTeam', 'topics', 'summary', 'quote', 'strength'],
        properties: {
          id: {
            $ref: '#/$defs/id',
          },
          speaker: {
            $ref: '#/$defs/person',
          },
          ownerTeam: {
            type: 'string',
            minLength: 1,
            maxLength: LIMITS.name,
          },
          topics: {
            type: 'array',
            minItems: 1,
            maxItems: LIMITS.topics,
            items: {
              type: 'string',
              minLength: 1,
              maxLength: LIMITS.topic,
            },
          },
          summary: {
            type: 'string',
            minLength: 1,
            maxLength: LIMITS.short,
            description: "In the tracker's words.",
          },
          quote: {
            type: 'string',
            minLength: 1,
            maxLength: LIMITS.short,
            description: 'Short and exact, from the notes.',
          },
          target: {
            oneOf: [
              {
                $ref: '#/$defs/target',
              },
              {
                type: 'null',
              },
            ],
          },
          strength: {
            enum: STRENGTHS,
          },
          note: {
            type: 'string',
            maxLength: LIMITS.text,
            description: 'Editorial doubts or context; not part of the promise.',
          },
          links: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['to', 'relation'],
              properties: {
                to: {
                  $ref: '#/$defs/id',
                },
                relation: {
                  enum: LINK_RELATIONS,
                },
                note: {
                  type: 'string',
                  maxLength: LIMITS.short,
                },
              },
            },
          },
        },
      },
    },
    revisits: {
      description: 'Earlier commitments this session spoke about.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['commitment', 'statement'],
        properties: {
          commitment: {
            $ref: '#/$defs/id',
          },
          statement: {
            type: 'string',
            minLength: 1,
            maxLength: LIMITS.text,
          },
          quote: {
            type: 'string',
            minLength: 1,
            maxLength: LIMITS.short,
          },
          speaker: {
            $ref: '#/$defs/person',
          },
          newTarget: {
            $ref: '#/$defs/target',
          },
          report: {
            $ref: '#/$defs/revisitReport',
          },
        },
      },
    },
    updates: {
      description: 'Progress and outcomes: what happened, on which day, and where it says so.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['commitment', 'type', 'on', 'note', 'source'],
        properties: {
          commitment: {
            $ref: '#/$defs/id',
          },
          type: {
            enum: SESSION_FILE_UPDATE_TYPES,
          },
          on: {
            $ref: '#/$defs/date',
          },
          note: {
            type: 'string',
            minLength: 1,
            maxLength: LIMITS.text,
            description: 'What happened, or the reason.',
          },
          source: {
            $ref: '#/$defs/url',
          },
          evidence: {
            type: 'array',
            maxItems: LIMITS.list,
            items: {
              $ref: '#/$defs/url',
            },
          },
          newTarget: {
            $ref: '#/$defs/target',
            description: 'For retarget.',
          },
          dropReason: {
            enum: DROP_REASONS,
            description: 'For drop.',
          },
          supersededBy: {
            $ref: '#/$defs/id',
            description: 'For supersede.',
          },
          datePrecision: {
            $ref: '#/$defs/datePrecision',
          },
        },
        allOf: [
          {
            if: {
              properties: {
                type: {
                  const: 'retarget',
                },
              },
            },
            then: {
              required: ['newTarget'],
            },
          },
          {
            if: {
              properties: {
                type: {
                  const: 'drop',
                },
              },
            },
            then: {
              required: ['dropReason'],
            },
          },
          {
            if: {
              properties: {
                type: {
                  const: 'supersede',
                },
              },
            },
            then: {
              required: ['supersededBy'],
            },
          },
        ],
      },
    },
  },
  $defs: {
    datePrecision: {
      enum: DATE_PRECISIONS,
      description:
        'no_later_than: the notes say it had happened by that day ("has been ratified") but not when; shown as "no later than". no_earlier_than: it happened that day or after, on a day the notes do not give (answers written "after the call"); shown as "no earlier than". Neither is ever shown as the day. Absent: exact.',
    },
    revisitReport: {
      description:
        "What the session reported about the commitment, recorded with the revisit in one step; the session's published notes are added to its evidence.",
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: {
          enum: REVISIT_REPORT_KINDS,
        },
        note: {
          type: 'string',
          minLength: 1,
          maxLength: LIMITS.text,
          description: 'For progress and deliveries: what happened.',
        },
        evidence: {
          type: 'array',
          // The session's published notes are added to the evidence: one place is kept for them.
          maxItems: LIMITS.list - 1,
          items: {
            $ref: '#/$defs/url',
          },
        },
        reason: {
          enum: DROP_REASONS,
          description: 'For dropped.',
        },
        explanation: {
          type: 'string',
          minLength: 1,
          maxLength: LIMITS.text,
          description: 'For dropped.',
        },
        datePrecision: {
          $ref: '#/$defs/datePrecision',
        },
      },
      if: {
        properties: {
          kind: {
            const: 'dropped',
          },
        },
      },
      then: {
        required: ['reason', 'explanation'],
        not: {
          required: ['note'],
        },
      },
      else: {
        required: ['note'],
        not: {
          anyOf: [
            {
              required: ['reason'],
            },
            {
              required: ['explanation'],
            },
          ],
        },
      },
    },
    id: {
      type: 'string',
      pattern: ID_PATTERN.source,
    },
    date: {
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      format: 'date',
      description: 'A day that exists in the calendar, YYYY-MM-DD.',
    },
    url: {
      type: 'string',
      pattern: '^https?://',
      maxLength: LIMITS.url,
    },
    person: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          type: 'string',
          minLength: 1,
          maxLength: LIMITS.name,
        },
        role: {
          type: 'string',
          maxLength: LIMITS.name,
        },
      },
    },
    target: {
      type: 'object',
      additionalProperties: false,
      required: ['asSaid'],
      properties: {
        asSaid: {
          type: 'string',
          minLength: 1,
          maxLength: LIMITS.name,
        },
        earliestDate: {
          oneOf: [
            {
              $ref: '#/$defs/date',
            },
            {
              type: 'null',
            },
          ],
          description:
            'The first day the words allow, for a window such as "January or February 2021"; needs a latestDate on or after it.',
        },
        latestDate: {
          oneOf: [
            {
              $ref: '#/$defs/date',
            },
            {
              type: 'null',
            },
          ],
        },
      },
    },
  },
} as const;
