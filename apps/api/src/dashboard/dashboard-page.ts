import { Injectable } from '@nestjs/common';
import { Pages } from '../pages/pages.js';
import { overTimeChart, slipChart, slipSizeLabel, statusChart, type BarChart, type LineChart } from './dashboard-charts.js';
import type { DashboardDto } from './dashboard.dto.js';

/** What the dashboard page is drawn from: the answer and its charts, laid out. */
export interface DashboardPageData {
  readonly d: DashboardDto;
  readonly statusChart: BarChart;
  readonly slipChart: BarChart;
  readonly slipSizeLabel: typeof slipSizeLabel;
  readonly overTime: LineChart | null;
}

/** The dashboard drawn as a page; it depends on the answer alone, and an answer is shared while kept: drawn once each. */
@Injectable()
export class DashboardPage {
  private readonly rendered = new WeakMap<DashboardDto, string>();

  constructor(private readonly pages: Pages) {}

  render(dashboard: DashboardDto): string {
    let html = this.rendered.get(dashboard);
    if (html === undefined) {
      html = this.pages.render('dashboard', {
        d: dashboard,
        statusChart: statusChart(dashboard),
        slipChart: slipChart(dashboard),
        slipSizeLabel,
        overTime: overTimeChart(dashboard.overTime),
      });
      this.rendered.set(dashboard, html);
    }
    return html;
  }
}
