"""Import every feature's models so the metadata (create_all, migrations) sees them all."""
from portal.auth.models import PasswordResetToken, User  # noqa: F401
from portal.directory.models import Municipality, Organisation, Theme, Venue  # noqa: F401
from portal.mail.models import OutboxAttachment, OutboxMessage  # noqa: F401
from portal.series.models import (AgendaItem, AgendaTemplate, AgendaTemplateItem,  # noqa: F401
                                  InvitationBatch, Meeting, Series)
from portal.registrations.models import Attendance, Registration, ReminderLog  # noqa: F401
from portal.stories.models import (Story, StoryMessage, StoryNotificationAddress,  # noqa: F401
                                   StoryRevision)
from portal.learning.models import (EvaluationRemark, EvaluationResponse,  # noqa: F401
                                    EvaluationToken, FollowUpAnswer, FollowUpContact,
                                    FollowUpRemark, FollowUpToken, MeetingEvaluation, PlainWord,
                                    Practice, PracticeAdoption, PracticeAgenda, PracticeAgendaCopy,
                                    PracticeAgendaItem, Reflection)
from portal.wishes.models import (AnswerTemplate, ConfirmationLink, RoutingRule,  # noqa: F401
                                  TellerAnswer, Wish, WishAnswerLink, WishEvent)
from portal.api.models import ApiToken  # noqa: F401
from portal.webhooks.models import WebhookDelivery, WebhookEndpoint  # noqa: F401
from portal.digests.models import DigestLog  # noqa: F401
