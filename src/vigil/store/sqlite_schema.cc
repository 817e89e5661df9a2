#include "vigil/store/sqlite_schema.h"

#include <array>

namespace vigil::sqlite_schema {

// Timestamps are INTEGER microseconds since the Unix epoch (UTC). Vocabulary
// columns hold the wire names of core/vocabulary.h. Protections are a bitmask
// of core::Protection. See docs/storage.md.
const char kCustodyEventsDdl[] = R"sql(
CREATE TABLE custody_events (
  event_pk          INTEGER PRIMARY KEY,
  source            TEXT NOT NULL,
  event_id          TEXT NOT NULL,
  subject_id        INTEGER,
  type              TEXT NOT NULL,
  occurred_at       INTEGER NOT NULL,
  a_number          TEXT,
  given_names       TEXT,
  family_names      TEXT,
  aliases           TEXT,
  date_of_birth     TEXT,
  country_of_birth  TEXT,
  facility_id       TEXT NOT NULL DEFAULT '',
  custody_basis     TEXT,
  protections       INTEGER NOT NULL DEFAULT 0,
  scheduled_release INTEGER,
  retracts          TEXT NOT NULL DEFAULT '',
  content_hash      BLOB NOT NULL,
  retracted_by      TEXT NOT NULL DEFAULT '',
  received_at       INTEGER NOT NULL,
  UNIQUE (source, event_id)
);
CREATE INDEX custody_events_by_subject ON custody_events (subject_id, occurred_at);
CREATE INDEX custody_events_by_retracts ON custody_events (source, retracts) WHERE retracts <> '';
)sql";

namespace {

const char kV1[] = R"sql(
CREATE TABLE facilities (
  facility_id TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  address     TEXT NOT NULL DEFAULT '',
  city        TEXT NOT NULL,
  state       TEXT NOT NULL,
  phone       TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE subjects (
  subject_id        INTEGER PRIMARY KEY,
  a_number          TEXT NOT NULL UNIQUE CHECK (length(a_number) = 9),
  given_names       TEXT NOT NULL,
  family_names      TEXT NOT NULL,
  aliases           TEXT NOT NULL DEFAULT '[]',
  date_of_birth     TEXT,
  country_of_birth  TEXT NOT NULL,
  custody_status    TEXT CHECK (custody_status IN
                      ('in_custody', 'released', 'removed', 'escaped', 'deceased')),
  facility_id       TEXT NOT NULL DEFAULT '',
  custody_basis     TEXT CHECK (custody_basis IN
                      ('civil_immigration', 'criminal_charge', 'criminal_conviction')),
  protections       INTEGER NOT NULL DEFAULT 0,
  last_event_at     INTEGER,
  released_at       INTEGER,
  scheduled_release INTEGER
);

CREATE TABLE feed_rejects (
  reject_id   INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  origin      TEXT NOT NULL,
  line        INTEGER NOT NULL,
  field       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  -- Re-importing a file must change nothing: the same reject is kept once.
  UNIQUE (origin, line, field, reason)
);
)sql";

// Every write of a subject row appends its id here, in the same
// transaction, so a serving process (or another node) can follow what
// others commit without rescanning. Suppressed matches are kept for the
// stalking alert: when, how, and whom — never the query text.
const char kV3[] = R"sql(
CREATE TABLE subject_changes (
  seq        INTEGER PRIMARY KEY,
  subject_id INTEGER NOT NULL
);
CREATE TABLE suppressed_matches (
  match_id    INTEGER PRIMARY KEY,
  subject_id  INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  channel     TEXT NOT NULL,
  reason      TEXT NOT NULL
);
CREATE INDEX suppressed_matches_by_subject ON suppressed_matches (subject_id, occurred_at);
)sql";

// When something the public may see last changed: `updated_at` on a public
// answer. last_event_at also moves for events the public must not learn of
// (an advance release date alone), so it cannot be shown.
const char kV4[] = R"sql(
ALTER TABLE subjects ADD COLUMN public_changed_at INTEGER;
UPDATE subjects SET public_changed_at = last_event_at;
)sql";

// Registrations and the notification outbox. Contact data only sealed; the
// notification state machine is enforced by the UPDATEs (sqlite_store.cc).
const char kV5[] = R"sql(
CREATE TABLE registrations (
  registration_id   INTEGER PRIMARY KEY,
  subject_id        INTEGER NOT NULL,
  channel           TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'voice')),
  contact_sealed    BLOB NOT NULL,
  contact_index     BLOB NOT NULL,
  language          TEXT NOT NULL CHECK (language IN ('en', 'es')),
  state             TEXT NOT NULL CHECK (state IN
                      ('pending', 'active', 'suspended', 'unsubscribed', 'bounced')),
  tier              TEXT NOT NULL CHECK (tier IN ('public', 'verified')),
  secret_hash       BLOB NOT NULL DEFAULT x'',
  secret_expires_at INTEGER,
  secret_attempts   INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  ended_at          INTEGER,
  UNIQUE (subject_id, channel, contact_index)
);
CREATE INDEX registrations_by_subject ON registrations (subject_id, state);
CREATE INDEX registrations_by_contact ON registrations (contact_index);
CREATE TABLE notifications (
  notification_id INTEGER PRIMARY KEY,
  event_pk        INTEGER,
  registration_id INTEGER NOT NULL REFERENCES registrations (registration_id),
  kind            TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('created', 'sending', 'delivered',
                    'temporary_failure', 'permanent_failure', 'technical_failure',
                    'suppressed', 'cancelled', 'acknowledged')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  due_at          INTEGER NOT NULL,
  lease_until     INTEGER,
  payload_sealed  BLOB NOT NULL DEFAULT x'',
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (event_pk, registration_id)
);
CREATE INDEX notifications_due ON notifications (state, due_at);
CREATE INDEX notifications_by_registration ON notifications (registration_id);
)sql";

// Notifications gain 'sent' (a gateway took it and reports delivery later),
// which needs a new CHECK, so the table is rebuilt; registrations remember
// an opt-out by the contact itself (SMS STOP) so that START can undo it.
const char kV6[] = R"sql(
CREATE TABLE notifications_v6 (
  notification_id INTEGER PRIMARY KEY,
  event_pk        INTEGER,
  registration_id INTEGER NOT NULL REFERENCES registrations (registration_id),
  kind            TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('created', 'sending', 'sent', 'delivered',
                    'temporary_failure', 'permanent_failure', 'technical_failure',
                    'suppressed', 'cancelled', 'acknowledged')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  due_at          INTEGER NOT NULL,
  lease_until     INTEGER,
  payload_sealed  BLOB NOT NULL DEFAULT x'',
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (event_pk, registration_id)
);
INSERT INTO notifications_v6 SELECT * FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v6 RENAME TO notifications;
CREATE INDEX notifications_due ON notifications (state, due_at);
CREATE INDEX notifications_by_registration ON notifications (registration_id);
ALTER TABLE registrations ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;
)sql";

// Voice registrations keep the hash of the PIN a call asks for.
const char kV7[] = R"sql(
ALTER TABLE registrations ADD COLUMN pin_hash BLOB NOT NULL DEFAULT x'';
)sql";

// Agency API keys: only a hash of each secret.
const char kV8[] = R"sql(
CREATE TABLE api_keys (
  key_id      TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  scopes      TEXT NOT NULL,
  secret_hash BLOB NOT NULL,
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);
)sql";

// The audit log and its signed checkpoints (audit/audit_log.h).
const char kV9[] = R"sql(
CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY,
  at         INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  actor      TEXT NOT NULL,
  subject_id INTEGER,
  detail     TEXT NOT NULL,
  prev_hash  BLOB NOT NULL,
  hash       BLOB NOT NULL
);
CREATE INDEX audit_log_by_subject ON audit_log (subject_id, seq) WHERE subject_id IS NOT NULL;
CREATE TABLE audit_checkpoints (
  seq       INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  hash      BLOB NOT NULL,
  signature BLOB NOT NULL
);
)sql";

// Agency operations: the victim id of a registration an agency
// enrolled, and per-person blocks on notifications.
const char kV10[] = R"sql(
ALTER TABLE registrations ADD COLUMN victim_id TEXT;
CREATE UNIQUE INDEX registrations_by_victim_id ON registrations (victim_id)
  WHERE victim_id IS NOT NULL;
CREATE TABLE notification_blocks (
  subject_id INTEGER PRIMARY KEY,
  blocked_at INTEGER NOT NULL,
  reason     TEXT NOT NULL
);
)sql";

// The subjects table again, its CHECKs on custody_status and custody_basis
// spelled as comparisons. SQLite evaluates `x IN (five constants)` in a
// CHECK by building a temporary b-tree of the constants every time a row is
// written: 3-4% of an import's writing thread, for each subject written.
// Same columns, same meaning (NULL still passes, as it did with IN).
const char kV11[] = R"sql(
CREATE TABLE subjects_v11 (
  subject_id        INTEGER PRIMARY KEY,
  a_number          TEXT NOT NULL UNIQUE CHECK (length(a_number) = 9),
  given_names       TEXT NOT NULL,
  family_names      TEXT NOT NULL,
  aliases           TEXT NOT NULL DEFAULT '[]',
  date_of_birth     TEXT,
  country_of_birth  TEXT NOT NULL,
  custody_status    TEXT CHECK (custody_status = 'in_custody' OR custody_status = 'released' OR
                      custody_status = 'removed' OR custody_status = 'escaped' OR
                      custody_status = 'deceased'),
  facility_id       TEXT NOT NULL DEFAULT '',
  custody_basis     TEXT CHECK (custody_basis = 'civil_immigration' OR
                      custody_basis = 'criminal_charge' OR custody_basis = 'criminal_conviction'),
  protections       INTEGER NOT NULL DEFAULT 0,
  last_event_at     INTEGER,
  released_at       INTEGER,
  scheduled_release INTEGER,
  public_changed_at INTEGER
);
INSERT INTO subjects_v11 (subject_id, a_number, given_names, family_names, aliases,
    date_of_birth, country_of_birth, custody_status, facility_id, custody_basis, protections,
    last_event_at, released_at, scheduled_release, public_changed_at)
  SELECT subject_id, a_number, given_names, family_names, aliases, date_of_birth,
    country_of_birth, custody_status, facility_id, custody_basis, protections, last_event_at,
    released_at, scheduled_release, public_changed_at
  FROM subjects;
DROP TABLE subjects;
ALTER TABLE subjects_v11 RENAME TO subjects;
)sql";

// Feed keys bound to the sources they may write. Which key wrote which
// event was never recorded, so each live feed:write key is bound to every
// source written so far except the overrides' own ("vigil-override", which
// only the overrides route may write): nothing that worked before stops,
// and nothing new can be written under another name. `vigil keys
// set-sources` narrows a key (docs/upgrading.md).
const char kV12[] = R"sql(
ALTER TABLE api_keys ADD COLUMN sources TEXT NOT NULL DEFAULT '';
UPDATE api_keys SET sources = coalesce(
    (SELECT group_concat(source, ' ') FROM
       (SELECT DISTINCT source FROM custody_events WHERE source <> 'vigil-override'
        ORDER BY source)), '')
  WHERE ' ' || scopes || ' ' LIKE '% feed:write %';
)sql";

// When each person's custody episode began (core/custody.h), for the rule
// that someone who was a minor at any time in it stays withheld for all of
// it. Computed from the events the way the fold does: standing events in
// fold order; an episode begins with the first of them, and with any that
// puts the person in custody after a release, removal or death (not after an
// escape). Standing means not a retraction and not retracted.
const char kV13[] = R"sql(
ALTER TABLE subjects ADD COLUMN custody_since INTEGER;
WITH standing AS (
  SELECT subject_id, occurred_at, type,
         row_number() OVER (PARTITION BY subject_id ORDER BY occurred_at, source, event_id) AS n
  FROM custody_events
  WHERE subject_id IS NOT NULL AND type <> 'retracted' AND retracted_by = ''
), marked AS (
  SELECT subject_id, occurred_at, type, n,
         max(CASE WHEN type IN ('booked', 'transferred', 'returned', 'released', 'removed',
                                'escaped', 'deceased') THEN n END)
           OVER (PARTITION BY subject_id ORDER BY n
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS last_status_n
  FROM standing
), starts AS (
  SELECT m.subject_id, m.occurred_at, m.n
  FROM marked m LEFT JOIN standing p ON p.subject_id = m.subject_id AND p.n = m.last_status_n
  WHERE m.n = 1
     OR (m.type IN ('booked', 'transferred', 'returned') AND
         (p.type IS NULL OR p.type IN ('released', 'removed', 'deceased')))
)
UPDATE subjects SET custody_since =
  (SELECT s.occurred_at FROM starts s WHERE s.subject_id = subjects.subject_id
   ORDER BY s.n DESC LIMIT 1);
)sql";

// Facts about the database itself: the fingerprint of the secret key its
// sealed data (contacts, tokens, audit signatures) was made with, so a node
// given another key refuses to start instead of writing what no other node
// can read.
const char kV14[] = R"sql(
CREATE TABLE store_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Messages hotline callers leave for the specialists (the caller's number
// sealed like any contact).
const char kV15[] = R"sql(
CREATE TABLE voicemails (
  voicemail_id     INTEGER PRIMARY KEY,
  received_at      INTEGER NOT NULL,
  caller_sealed    BLOB NOT NULL,
  recording_url    TEXT NOT NULL,
  duration_seconds INTEGER NOT NULL,
  language         TEXT NOT NULL
);
CREATE INDEX voicemails_by_time ON voicemails (received_at);
)sql";

// The zone a facility's times are told in (feed field time_zone).
const char kV16[] = R"sql(
ALTER TABLE facilities ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
)sql";

// Nine languages, not two: the language CHECK names no list (the catalogue
// is the list, checked where a registration is made). SQLite cannot alter a
// CHECK, so the table is rebuilt as in migration 11; foreign keys are not
// enforced on vigil's connections, and notifications keep referring to it
// by name.
const char kV17[] = R"sql(
CREATE TABLE registrations_v17 (
  registration_id   INTEGER PRIMARY KEY,
  subject_id        INTEGER NOT NULL,
  channel           TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'voice')),
  contact_sealed    BLOB NOT NULL,
  contact_index     BLOB NOT NULL,
  language          TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 16),
  state             TEXT NOT NULL CHECK (state IN
                      ('pending', 'active', 'suspended', 'unsubscribed', 'bounced')),
  tier              TEXT NOT NULL CHECK (tier IN ('public', 'verified')),
  secret_hash       BLOB NOT NULL DEFAULT x'',
  secret_expires_at INTEGER,
  secret_attempts   INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  ended_at          INTEGER,
  opted_out         INTEGER NOT NULL DEFAULT 0,
  pin_hash          BLOB NOT NULL DEFAULT x'',
  victim_id         TEXT,
  UNIQUE (subject_id, channel, contact_index)
);
INSERT INTO registrations_v17 SELECT registration_id, subject_id, channel, contact_sealed,
    contact_index, language, state, tier, secret_hash, secret_expires_at, secret_attempts,
    created_at, ended_at, opted_out, pin_hash, victim_id FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_v17 RENAME TO registrations;
CREATE INDEX registrations_by_subject ON registrations (subject_id, state);
CREATE INDEX registrations_by_contact ON registrations (contact_index);
CREATE UNIQUE INDEX registrations_by_victim_id ON registrations (victim_id)
  WHERE victim_id IS NOT NULL;
)sql";

// The staff console's accounts and the protection requests (docs/staff.md).
const char kV18[] = R"sql(
CREATE TABLE staff_accounts (
  name          TEXT PRIMARY KEY,
  role          TEXT NOT NULL CHECK (role IN
                  ('specialist', 'supervisor', 'auditor', 'admin', 'advocate')),
  password_hash TEXT NOT NULL,
  totp_sealed   BLOB NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER,
  session_epoch INTEGER NOT NULL DEFAULT 0,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    INTEGER NOT NULL,
  last_login_at INTEGER
) WITHOUT ROWID;
CREATE TABLE protection_requests (
  request_id     INTEGER PRIMARY KEY,
  identifier     TEXT NOT NULL,
  subject_id     INTEGER NOT NULL,
  reason         TEXT NOT NULL CHECK (reason IN ('vawa', 'asylum', 'minor', 'safety', 'other')),
  details        TEXT NOT NULL,
  contact_sealed BLOB NOT NULL,
  requested_by   TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('queued', 'provisional', 'confirmed', 'rejected')),
  created_at     INTEGER NOT NULL,
  due_at         INTEGER NOT NULL,
  decided_by     TEXT NOT NULL DEFAULT '',
  decided_at     INTEGER,
  decision_note  TEXT NOT NULL DEFAULT '',
  language       TEXT NOT NULL DEFAULT 'en' CHECK (length(language) BETWEEN 2 AND 16),
  outcome_sent   INTEGER
);
CREATE INDEX protection_requests_by_state ON protection_requests (state, request_id);
)sql";

// The step of the last TOTP code that signed in (RFC 6238 §5.2: a code is
// good once).
const char kV19[] = R"sql(
ALTER TABLE staff_accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
)sql";

// The event table is separate so the benchmark baseline can reuse its DDL.
constexpr std::array<Migration, 19> kMigrations = {{
    {1, "facilities, subjects, feed_rejects", kV1},
    {2, "custody_events", kCustodyEventsDdl},
    {3, "subject_changes, suppressed_matches", kV3},
    {4, "subjects.public_changed_at", kV4},
    {5, "registrations, notifications", kV5},
    {6, "notifications.state 'sent', registrations.opted_out", kV6},
    {7, "registrations.pin_hash", kV7},
    {8, "api_keys", kV8},
    {9, "audit_log, audit_checkpoints", kV9},
    {10, "registrations.victim_id, notification_blocks", kV10},
    {11, "subjects CHECKs without IN lists", kV11},
    {12, "api_keys.sources", kV12},
    {13, "subjects.custody_since", kV13},
    {14, "store_meta (the key fingerprint)", kV14},
    {15, "voicemails (the hotline)", kV15},
    {16, "facilities.time_zone", kV16},
    {17, "registrations.language: any catalogue's", kV17},
    {18, "staff_accounts, protection_requests (the staff console)", kV18},
    {19, "staff_accounts.totp_last_step: a code signs in once", kV19},
}};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace vigil::sqlite_schema
