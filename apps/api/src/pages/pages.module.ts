import { Controller, Get, Global, Module, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Pages } from './pages.js';

@ApiExcludeController()
@Controller()
class HomeController {
  @Get()
  @Redirect('/dashboard', 302)
  home(): void {}
}

@Global()
@Module({ controllers: [HomeController], providers: [Pages], exports: [Pages] })
export class PagesModule {}
