// The notification outbox in PostgreSQL.
#include "vigil/store/postgres_parts.h"

namespace vigil::postgres_store {
namespace {

using row_codec::kNotificationColumns;
using row_codec::ReadNotification;

Result<std::vector<Notification>> Notifications(PgQuery& q) {
  return row_codec::ReadAll<Notification>(q, "read notifications", ReadNotification<PgQuery>);
}

}  // namespace

Result<std::optional<Notification>> PgOutbox::GetNotification(int64_t id) {
  static const std::string sql = std::string("SELECT ") + kNotificationColumns +
                                 " FROM notifications WHERE notification_id = $1";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id);
  auto all = Notifications(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<Notification>();
  return std::optional<Notification>(std::move(all->front()));
}

Result<std::vector<Notification>> PgOutbox::NotificationsOfRegistration(int64_t id) {
  static const std::string sql = std::string("SELECT ") + kNotificationColumns +
                                 " FROM notifications WHERE registration_id = $1 "
                                 "ORDER BY notification_id";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id);
  return Notifications(*q);
}

Result<std::vector<std::pair<std::string, int64_t>>> PgOutbox::NotificationStateCounts() {
  auto q = Prepare("SELECT state, count(*) FROM notifications GROUP BY state ORDER BY state");
  if (!q) return tl::unexpected(q.error());
  return row_codec::ReadAll<std::pair<std::string, int64_t>>(
      *q, "count notifications",
      [](const PgQuery& r) { return std::pair<std::string, int64_t>(r.Text(0), r.Int(1)); });
}

Result<std::vector<OutboxReads::Depth>> PgOutbox::NotificationDepth() {
  auto q = Prepare(
      "SELECT n.state, r.channel, count(*) FROM notifications n JOIN registrations r "
      "ON r.registration_id = n.registration_id GROUP BY n.state, r.channel ORDER BY 1, 2");
  if (!q) return tl::unexpected(q.error());
  return row_codec::ReadAll<Depth>(*q, "count notifications by channel", [](const PgQuery& r) {
    return Depth{r.Text(0), r.Text(1), r.Int(2)};
  });
}

Result<std::optional<int64_t>> PgOutbox::InsertNotification(const Notification& n) {
  auto q = Prepare(
      "INSERT INTO notifications (event_pk, registration_id, kind, state, attempts, due_at, "
      "payload_sealed, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $7) "
      "ON CONFLICT (event_pk, registration_id) DO NOTHING RETURNING notification_id");
  if (!q) return tl::unexpected(q.error());
  q->BindOptional(1, n.event_pk).Bind(2, n.registration_id).Bind(3, n.kind);
  q->Bind(4, Name(n.state)).Bind(5, ToUnixMicros(n.due_at)).BindBlob(6, n.payload_sealed);
  q->Bind(7, ToUnixMicros(n.created_at));
  Touch(StoreTopic::kOutbox);
  return Returned(*q, "insert notification");
}

Result<int64_t> PgOutbox::QueueNotificationsForEvent(int64_t subject_id, int64_t event_pk,
                                                     std::string_view kind, Timestamp now,
                                                     bool verified_only) {
  auto q = Prepare(
      "INSERT INTO notifications (event_pk, registration_id, kind, state, attempts, due_at, "
      "created_at, updated_at) SELECT $2, registration_id, $3, 'created', 0, $4, $4, $4 "
      "FROM registrations WHERE subject_id = $1 AND state = 'active' "
      "AND ($5 = 0 OR tier = 'verified') "
      "AND NOT EXISTS (SELECT 1 FROM notification_blocks WHERE subject_id = $1) "
      "ORDER BY registration_id ON CONFLICT (event_pk, registration_id) DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id).Bind(2, event_pk).Bind(3, kind).Bind(4, ToUnixMicros(now));
  q->Bind(5, int64_t{verified_only ? 1 : 0});
  auto queued = Changed(*q, "queue notifications");
  if (queued && *queued > 0) Touch(StoreTopic::kOutbox);
  return queued;
}

Result<std::pair<int64_t, int64_t>> PgOutbox::QueueCorrections(int64_t retracted_pk,
                                                               int64_t retraction_pk,
                                                               Timestamp now) {
  // First the corrections (they read which notices went out), then the
  // cancellations of those that had not.
  auto queue = Prepare(
      "INSERT INTO notifications (event_pk, registration_id, kind, state, attempts, due_at, "
      "created_at, updated_at) SELECT $2, n.registration_id, 'correction', 'created', 0, $3, $3, "
      "$3 FROM notifications n JOIN registrations r ON r.registration_id = n.registration_id "
      "WHERE n.event_pk = $1 AND r.state = 'active' AND (n.state IN ('delivered', "
      "'acknowledged') OR (n.state IN ('sending', 'sent') AND r.channel <> 'voice')) "
      "AND NOT EXISTS (SELECT 1 FROM notification_blocks b WHERE b.subject_id = r.subject_id) "
      "ORDER BY n.registration_id ON CONFLICT (event_pk, registration_id) DO NOTHING");
  if (!queue) return tl::unexpected(queue.error());
  queue->Bind(1, retracted_pk).Bind(2, retraction_pk).Bind(3, ToUnixMicros(now));
  auto queued = Changed(*queue, "queue corrections");
  if (!queued) return tl::unexpected(queued.error());
  if (*queued > 0) Touch(StoreTopic::kOutbox);
  auto cancel = Prepare(
      "UPDATE notifications SET state = 'cancelled', updated_at = $2, lease_until = NULL, "
      "payload_sealed = '\\x' WHERE event_pk = $1 AND state IN ('created', 'temporary_failure')");
  if (!cancel) return tl::unexpected(cancel.error());
  cancel->Bind(1, retracted_pk).Bind(2, ToUnixMicros(now));
  auto cancelled = Changed(*cancel, "cancel retracted notifications");
  if (!cancelled) return tl::unexpected(cancelled.error());
  return std::pair<int64_t, int64_t>{*cancelled, *queued};
}

Result<std::vector<Notification>> PgOutbox::ClaimDueNotifications(Timestamp now,
                                                                  Timestamp lease_until,
                                                                  int limit) {
  // SKIP LOCKED: workers on other nodes claiming at the same moment take
  // other rows instead of waiting for these.
  static const std::string sql =
      std::string(
          "UPDATE notifications SET state = 'sending', attempts = attempts + 1, "
          "lease_until = $2, updated_at = $1 WHERE notification_id IN ("
          "SELECT notification_id FROM notifications WHERE "
          "(state IN ('created', 'temporary_failure') AND due_at <= $1) OR "
          "(state = 'sending' AND lease_until < $1) ORDER BY due_at LIMIT $3 "
          "FOR UPDATE SKIP LOCKED) RETURNING ") +
      kNotificationColumns;
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(now)).Bind(2, ToUnixMicros(lease_until)).Bind(3, int64_t{limit});
  auto claimed = Notifications(*q);
  if (!claimed) return tl::unexpected(claimed.error());
  // RETURNING keeps no order; callers get the claim in due order.
  std::stable_sort(
      claimed->begin(), claimed->end(), [](const Notification& a, const Notification& b) {
        return a.due_at != b.due_at ? a.due_at < b.due_at : a.notification_id < b.notification_id;
      });
  return claimed;
}

Result<bool> PgOutbox::FinishNotification(int64_t id, int attempt, NotificationState to,
                                          Timestamp now, Timestamp due_at, std::string_view error) {
  if (!IsTerminal(to) && to != NotificationState::kTemporaryFailure &&
      to != NotificationState::kSent) {
    return InvalidArgument("a send ends in a terminal state, sent or temporary_failure");
  }
  auto q = Prepare(
      "UPDATE notifications SET state = $3, updated_at = $4, due_at = $5, last_error = $6, "
      "lease_until = NULL, payload_sealed = CASE WHEN $7 = 1 THEN '\\x' ELSE payload_sealed END "
      "WHERE notification_id = $1 AND attempts = $2 AND state = 'sending'");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id).Bind(2, int64_t{attempt}).Bind(3, Name(to)).Bind(4, ToUnixMicros(now));
  q->Bind(5, ToUnixMicros(due_at)).Bind(6, error).Bind(7, int64_t{IsTerminal(to) ? 1 : 0});
  auto n = Changed(*q, "finish notification");
  if (!n) return tl::unexpected(n.error());
  return *n > 0;
}

Result<int64_t> PgOutbox::CancelNotificationsOf(int64_t subject_id, Timestamp now,
                                                bool verifications) {
  auto q = Prepare(
      "UPDATE notifications SET state = 'cancelled', updated_at = $2, lease_until = NULL, "
      "payload_sealed = '\\x' WHERE state IN ('created', 'sending', 'temporary_failure') AND "
      "($3 = 1 OR kind <> 'verify') AND "
      "registration_id IN (SELECT registration_id FROM registrations WHERE subject_id = $1)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id).Bind(2, ToUnixMicros(now)).Bind(3, int64_t{verifications ? 1 : 0});
  return Changed(*q, "cancel notifications");
}

Result<bool> PgOutbox::RecordReceipt(int64_t id, NotificationState to, Timestamp now,
                                     Timestamp due_at, std::string_view detail) {
  if (!IsTerminal(to) && to != NotificationState::kTemporaryFailure) {
    return InvalidArgument("a receipt ends in a terminal state or temporary_failure");
  }
  auto q = Prepare(
      "UPDATE notifications SET state = $2, updated_at = $3, due_at = $4, last_error = $5, "
      "lease_until = NULL, payload_sealed = CASE WHEN $6 = 1 THEN '\\x' ELSE payload_sealed END "
      "WHERE notification_id = $1 AND state IN ('sending', 'sent')");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id).Bind(2, Name(to)).Bind(3, ToUnixMicros(now)).Bind(4, ToUnixMicros(due_at));
  q->Bind(5, detail).Bind(6, int64_t{IsTerminal(to) ? 1 : 0});
  auto n = Changed(*q, "record receipt");
  if (!n) return tl::unexpected(n.error());
  return *n > 0;
}

Result<int64_t> PgOutbox::SettleUnreceipted(Timestamp sent_before, Timestamp now,
                                            std::string_view detail) {
  auto q = Prepare(
      "UPDATE notifications SET state = 'delivered', updated_at = $2, last_error = $3, "
      "payload_sealed = '\\x' WHERE state = 'sent' AND updated_at < $1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(sent_before)).Bind(2, ToUnixMicros(now)).Bind(3, detail);
  return Changed(*q, "settle unreceipted");
}

}  // namespace vigil::postgres_store
