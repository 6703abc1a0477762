import { OPEN_STATUSES } from '#governance';

// The statuses are the domain's constants, never input: safe to write into the statement.
const OPEN_LIST = OPEN_STATUSES.map((status) => `'${status}'`).join(', ');

/** `isOpenStatus` in SQL, over a `commitments`-shaped row (`alias` as in `c.`). */
export const openSql = (alias = '') => `${alias}status in (${OPEN_LIST})`;

/** `isOverdue` in SQL: `today` is a parameter or expression of type date. */
export const overdueSql = (today: string, alias = '') => `${openSql(alias)} and ${alias}target_latest_date < ${today}`;
