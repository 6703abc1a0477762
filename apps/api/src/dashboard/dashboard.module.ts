import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';
import { DashboardPage } from './dashboard-page.js';
import { GetDashboardHandler } from './dashboard-queries.js';

const queries = [GetDashboardHandler];

@Module({
  controllers: [DashboardController],
  providers: [...queries, DashboardPage],
})
export class DashboardModule {}
