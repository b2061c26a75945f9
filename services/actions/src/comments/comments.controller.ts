import {
  Body,
  ConflictException,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles, type Principal } from '@nmirf/platform';
import type { Response } from 'express';
import { EDIT_WINDOW_MS } from './comment';
import { commentView } from './comment.view';
import {
  ActionParams,
  CommentPageQuery,
  CommentParams,
  EditCommentDto,
  PostCommentDto,
} from './comments.dto';
import {
  CommentClosedError,
  CommentsService,
  MentionRefusedError,
  NotYourCommentError,
} from './comments.service';

/**
 * An action's comment thread, between the coordinator and the action's institutions (README.md).
 * NHRI and civil-society users have no part in it: these are the government's internal notes.
 */
@ApiTags('comments')
@ApiBearerAuth()
@Roles('coordinator', 'focal_point', 'institution_validator')
@Controller('actions/:id/comments')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Post()
  @ApiOperation({
    summary: 'Comment on the action, optionally mentioning people or institutions',
    description:
      'The coordinator, and the focal points and validators of the action’s lead and supporting institutions; 404 for anyone else. ' +
      'A mention of someone who cannot see the action is 422, naming the mention.',
  })
  async post(
    @Param() params: ActionParams,
    @Body() body: PostCommentDto,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const comment = await refusals(() =>
      this.comments.post(params.id, caller, {
        text: body.text,
        mentions: (body.mentions ?? []).map(({ kind, id }) => ({ kind, id })),
      }),
    );
    response.location(`/actions/${params.id}/comments/${comment.id}`);
    return commentView(comment);
  }

  @Get()
  @ApiOperation({
    summary: 'The action’s comments, oldest first; deleted ones keep their place without text',
  })
  async list(@Param() params: ActionParams, @Query() query: CommentPageQuery, @Caller() caller: Principal) {
    const page = await this.comments.list(params.id, caller, { limit: query.limit, offset: query.offset });
    return { items: page.items.map(commentView), total: page.total };
  }

  @Patch(':commentId')
  @ApiOperation({
    summary: `Correct one’s own comment, within ${EDIT_WINDOW_MS / 60_000} minutes of posting`,
    description: 'The text only; the mentions stay as posted (409 after the window or once deleted).',
  })
  async edit(@Param() params: CommentParams, @Body() body: EditCommentDto, @Caller() caller: Principal) {
    return commentView(
      await refusals(() => this.comments.edit(params.id, params.commentId, caller, body.text)),
    );
  }

  @Delete(':commentId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a comment (its author, or the coordinator)',
    description: 'Soft: the thread shows that it was deleted, and the audit trail keeps the text.',
  })
  async delete(@Param() params: CommentParams, @Caller() caller: Principal): Promise<void> {
    await refusals(() => this.comments.delete(params.id, params.commentId, caller));
  }
}

async function refusals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MentionRefusedError)
      throw new UnprocessableEntityException({
        message: error.message,
        errors: error.problems.map(({ index, message }) => ({
          field: `mentions.${index}`,
          messages: [message],
        })),
      });
    if (error instanceof NotYourCommentError) throw new ForbiddenException(error.message);
    if (error instanceof CommentClosedError) throw new ConflictException(error.message);
    throw error;
  }
}
