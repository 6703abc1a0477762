import { COMMITMENT_STATUSES } from '#governance';
import { STATUS_LABELS } from '../pages/pages.js';
import type { DashboardDto, MonthCountsDto, SlipSizeDto } from './dashboard.dto.js';

/**
 * The geometry of the dashboard's charts, in SVG user units; the template only draws it. Each
 * chart scales with its viewBox, and carries a description that says what it shows in words.
 */

/** How long the longest bar is, out of a viewBox 600 wide; bars start at 170 (see bar-chart.ts). */
const LONGEST_BAR = 360;
const ROW_HEIGHT = 24;

export interface BarChart {
  readonly height: number;
  readonly bars: readonly { readonly label: string; readonly count: number; readonly width: number; readonly y: number }[];
  readonly description: string;
}

function barChart(rows: readonly (readonly [label: string, count: number])[]): BarChart {
  const most = Math.max(1, ...rows.map(([, count]) => count));
  return {
    height: ROW_HEIGHT * rows.length + 8,
    bars: rows.map(([label, count], i) => ({
      label,
      count,
      width: Math.round((LONGEST_BAR * count) / most),
      y: ROW_HEIGHT * i,
    })),
    description: rows.map(([label, count]) => `${label}: ${count}`).join(', '),
  };
}

export const statusChart = (dashboard: DashboardDto): BarChart =>
  barChart(COMMITMENT_STATUSES.map((status) => [STATUS_LABELS[status], dashboard.totals.byStatus[status]]));

export function slipSizeLabel({ fromDays, toDays }: SlipSizeDto): string {
  if (fromDays === 0 && toDays === 0) return 'to no date';
  if (toDays === null) return `over ${fromDays - 1} days`;
  return `${fromDays}–${toDays} days`;
}

export const slipChart = (dashboard: DashboardDto): BarChart =>
  barChart(dashboard.slips.bySize.map((size) => [slipSizeLabel(size), size.count]));

export interface LineChart {
  readonly width: number;
  readonly height: number;
  readonly plot: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };
  readonly open: string;
  readonly closed: string;
  /** Horizontal guides with their values. */
  readonly levels: readonly { readonly y: number; readonly value: number }[];
  /** Labelled months along the bottom: the first, each January, and the last. */
  readonly ticks: readonly { readonly x: number; readonly label: string }[];
  readonly description: string;
}

/** Open and closed at the end of each month, as two lines over a shared scale; null with no months. */
export function overTimeChart(months: readonly MonthCountsDto[]): LineChart | null {
  if (months.length === 0) return null;
  const plot = { left: 48, right: 590, top: 12, bottom: 200 };
  const most = Math.max(1, ...months.map((month) => Math.max(month.open, month.closed)));
  const step = months.length === 1 ? 0 : (plot.right - plot.left) / (months.length - 1);
  const x = (i: number) => Math.round((months.length === 1 ? (plot.left + plot.right) / 2 : plot.left + i * step) * 10) / 10;
  const y = (value: number) => Math.round((plot.bottom - ((plot.bottom - plot.top) * value) / most) * 10) / 10;
  const line = (pick: (month: MonthCountsDto) => number) => months.map((month, i) => `${x(i)},${y(pick(month))}`).join(' ');

  const ticks: { x: number; label: string }[] = [];
  const minGap = 44;
  months.forEach((month, i) => {
    const last = i === months.length - 1;
    if (i !== 0 && !last && !month.month.endsWith('-01')) return;
    const label = i === 0 || last ? month.month : month.month.slice(0, 4);
    const previous = ticks.at(-1);
    if (previous && x(i) - previous.x < minGap) {
      if (!last) return;
      ticks.pop();
    }
    ticks.push({ x: x(i), label });
  });

  const first = months[0]!;
  const final = months.at(-1)!;
  const peak = months.reduce((best, month) => (month.open > best.open ? month : best), first);
  const description =
    `Open and closed commitments at the end of each month from ${first.month} to ${final.month}. ` +
    `At the start, ${first.open} open and ${first.closed} closed; at the end, ${final.open} open and ${final.closed} closed. ` +
    `Most open at once: ${peak.open}, in ${peak.month}.`;
  return {
    width: 600,
    height: 230,
    plot,
    open: line((month) => month.open),
    closed: line((month) => month.closed),
    levels: [...new Set([0, Math.round(most / 2), most])].map((value) => ({ y: y(value), value })),
    ticks,
    description,
  };
}
