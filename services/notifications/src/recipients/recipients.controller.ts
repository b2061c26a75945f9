import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, Roles, ROLES, type Principal } from '@nmirf/platform';
import { ProfileBody, ProfileView, SubjectParams } from './recipients.dto';
import type { RecipientProfile } from './recipient-profile.entity';
import { RecipientsService } from './recipients.service';

const view = (profile: RecipientProfile): ProfileView => ({
  subject: profile.subject,
  email: profile.email,
  language: profile.language,
  timeZone: profile.timeZone,
  source: profile.source,
});

/** The recipients directory: one's own profile, and coordinators provisioning others'. */
@ApiTags('recipients')
@ApiBearerAuth()
@Controller()
export class RecipientsController {
  constructor(private readonly recipients: RecipientsService) {}

  @Get('me/profile')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Where and how mails reach me (address, language, time zone)' })
  @ApiOkResponse({ type: ProfileView })
  async mine(@Caller() caller: Principal): Promise<ProfileView> {
    return view(await this.recipients.mine(caller));
  }

  @Put('me/profile')
  @Roles(...ROLES)
  @ApiOperation({
    summary: 'Set my address, language and time zone; the sign-in token no longer overrides them',
  })
  @ApiOkResponse({ type: ProfileView })
  @ApiBadRequestResponse({ description: 'An invalid address, language or time zone' })
  async updateMine(@Body() body: ProfileBody, @Caller() caller: Principal): Promise<ProfileView> {
    return view(await this.recipients.updateMine(caller, body));
  }

  @Get('recipients/:subject')
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: 'A person’s mail profile, by token subject' })
  @ApiOkResponse({ type: ProfileView })
  @ApiNotFoundResponse({ description: 'No profile for this subject' })
  @ApiForbiddenResponse({ description: 'Coordinators and administrators only' })
  async get(@Param() params: SubjectParams): Promise<ProfileView> {
    return view(await this.recipients.get(params.subject));
  }

  @Put('recipients/:subject')
  @Roles('admin', 'coordinator')
  @ApiOperation({ summary: 'Provision a person’s mail profile, e.g. before they first sign in' })
  @ApiOkResponse({ type: ProfileView })
  @ApiBadRequestResponse({ description: 'An invalid address, language or time zone' })
  @ApiForbiddenResponse({ description: 'Coordinators and administrators only' })
  async provision(@Param() params: SubjectParams, @Body() body: ProfileBody): Promise<ProfileView> {
    return view(await this.recipients.provision(params.subject, body));
  }
}
