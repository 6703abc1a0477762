import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';
import { GetDashboardHandler } from './dashboard-queries.js';

const queries = [GetDashboardHandler];

@Module({
  controllers: [DashboardController],
  providers: [...queries],
})
export class DashboardModule {}
