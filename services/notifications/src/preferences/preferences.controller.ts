import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles, ROLES, type Principal } from '@nmirf/platform';
import { PreferencesBody, PreferencesView } from './preferences.dto';
import { PreferencesService } from './preferences.service';

/** One's own mail preferences: nobody reads or changes another person's. */
@ApiTags('recipients')
@ApiBearerAuth()
@Roles(...ROLES)
@Controller('me/mail-preferences')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @ApiOperation({ summary: 'How each kind of mail reaches me: immediately, in a digest, or not' })
  @ApiOkResponse({ type: PreferencesView })
  mine(@Caller() caller: Principal): Promise<PreferencesView> {
    return this.preferences.mine(caller);
  }

  @Put()
  @ApiOperation({ summary: 'Change how some kinds of mail reach me (overdue and escalation cannot be off)' })
  @ApiOkResponse({ type: PreferencesView })
  @ApiBadRequestResponse({ description: 'An unknown kind or cadence, or turning off overdue or escalation' })
  update(@Body() body: PreferencesBody, @Caller() caller: Principal): Promise<PreferencesView> {
    return this.preferences.update(caller, body.preferences);
  }
}
