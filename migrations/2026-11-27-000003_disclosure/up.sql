-- Applications for disclosure (依申请公开): the register, the log of handling steps, and
-- the register of administrative reviews and lawsuits (table 四). The rules of the
-- state machine live in gongkai-core; the constraints here keep even a buggy caller
-- from storing an application that contradicts itself.

CREATE TABLE disclosure_requests (
    id                   BIGSERIAL PRIMARY KEY,
    unit_id              BIGINT      NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    channel              TEXT        NOT NULL
        CHECK (channel IN ('in_person', 'registered_post', 'ordinary_post', 'online', 'fax')),
    -- Art. 31: the receipt date, and the channel dates it follows from
    received_on          DATE        NOT NULL CHECK (received_on >= DATE '2019-05-15'),
    sent_on              DATE,
    signed_for_on        DATE,
    confirmed_on         DATE,
    applicant_kind       TEXT        NOT NULL CHECK (applicant_kind IN
        ('natural_person', 'business', 'research', 'public_interest_org', 'legal_service', 'other')),
    applicant_name       TEXT        NOT NULL
        CHECK (applicant_name = btrim(applicant_name) AND char_length(applicant_name) BETWEEN 1 AND 200),
    -- The identity number never rests in clear text: AES-256-GCM (version byte, nonce,
    -- ciphertext and tag) under a key derived from GONGKAI_DATA_KEY.
    applicant_id_cipher  BYTEA       CHECK (octet_length(applicant_id_cipher) >= 29),
    -- HMAC-SHA256 of the normalized name and identity number: recognises the same
    -- applicant (per-item fees are counted per applicant and month) without revealing it.
    applicant_key        BYTEA       NOT NULL CHECK (octet_length(applicant_key) = 32),
    contact_phone        TEXT        CHECK (char_length(contact_phone) BETWEEN 1 AND 300),
    contact_email        TEXT        CHECK (char_length(contact_email) BETWEEN 1 AND 300),
    contact_address      TEXT        CHECK (char_length(contact_address) BETWEEN 1 AND 300),
    subject              TEXT        NOT NULL CHECK (char_length(btrim(subject)) BETWEEN 1 AND 4000),
    -- 件: the items of information asked for (per-item fees)
    item_count           INTEGER     NOT NULL DEFAULT 1 CHECK (item_count BETWEEN 1 AND 10000),
    status               TEXT        NOT NULL DEFAULT 'received' CHECK (status IN
        ('received', 'correction_requested', 'in_progress', 'consulting', 'fee_notified',
         'replied', 'withdrawn', 'abandoned', 'archived')),
    -- the receipt date, or the day the corrected application arrived (Art. 30)
    clock_start_on       DATE        NOT NULL,
    reply_type           TEXT        CHECK (reply_type IN
        ('already_public', 'disclosed', 'partly_disclosed', 'not_disclosed', 'does_not_exist',
         'not_this_agency', 'repeat_application', 'special_route', 'not_processed', 'other')),
    -- the row of table 三 and the day the application was concluded
    outcome              TEXT        CHECK (outcome IN
        ('granted', 'partly_granted',
         'refused_state_secret', 'refused_law_forbids', 'refused_three_safeties', 'refused_third_party',
         'refused_internal_affairs', 'refused_process_info', 'refused_enforcement_file',
         'refused_administrative_query',
         'unavailable_not_held', 'unavailable_needs_creation', 'unavailable_unclear_after_correction',
         'not_processed_petition', 'not_processed_repeat', 'not_processed_publication',
         'not_processed_excessive', 'not_processed_confirmation',
         'other_no_correction', 'other_fee_unpaid', 'other')),
    concluded_on         DATE,
    -- one fee method per application, never both
    fee_method           TEXT        CHECK (fee_method IN ('per_item', 'per_page')),
    fee_yuan             BIGINT      CHECK (fee_yuan > 0),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT disclosure_requests_id_unit_unique UNIQUE (id, unit_id),
    CONSTRAINT disclosure_requests_signed_for_registered_post
        CHECK (signed_for_on IS NULL OR (channel = 'registered_post' AND signed_for_on = received_on)),
    CONSTRAINT disclosure_requests_confirmed_channel
        CHECK (confirmed_on IS NULL OR (channel IN ('ordinary_post', 'online', 'fax') AND confirmed_on = received_on)),
    CONSTRAINT disclosure_requests_sent_before_received
        CHECK (sent_on IS NULL OR (channel <> 'in_person' AND sent_on <= received_on)),
    CONSTRAINT disclosure_requests_clock_after_receipt CHECK (clock_start_on >= received_on),
    CONSTRAINT disclosure_requests_conclusion_complete
        CHECK ((outcome IS NULL) = (concluded_on IS NULL)),
    CONSTRAINT disclosure_requests_concluded_after_receipt
        CHECK (concluded_on IS NULL OR concluded_on >= received_on),
    CONSTRAINT disclosure_requests_closed_status_has_outcome
        CHECK ((status IN ('replied', 'withdrawn', 'abandoned', 'archived')) = (outcome IS NOT NULL)),
    CONSTRAINT disclosure_requests_reply_type_with_reply
        CHECK (reply_type IS NULL OR outcome IS NOT NULL),
    CONSTRAINT disclosure_requests_fee_complete CHECK ((fee_method IS NULL) = (fee_yuan IS NULL))
);
CREATE INDEX disclosure_requests_unit_idx ON disclosure_requests (unit_id, id);
CREATE INDEX disclosure_requests_applicant_month_idx ON disclosure_requests (applicant_key, received_on);
CREATE INDEX disclosure_requests_open_idx ON disclosure_requests (id) WHERE concluded_on IS NULL;
CREATE INDEX disclosure_requests_received_idx ON disclosure_requests (received_on);
CREATE INDEX disclosure_requests_concluded_idx ON disclosure_requests (concluded_on);

-- Every handling step with the civil date it happened on; never changed or deleted.
CREATE TABLE disclosure_request_events (
    id           BIGSERIAL PRIMARY KEY,
    request_id   BIGINT      NOT NULL REFERENCES disclosure_requests (id) ON DELETE CASCADE,
    action       TEXT        NOT NULL CHECK (action IN
        ('start', 'request_correction', 'receive_correction', 'deem_withdrawn', 'consult',
         'receive_consultation_reply', 'extend', 'notify_fee', 'record_payment', 'deem_abandoned',
         'reply', 'withdraw', 'archive')),
    occurred_on  DATE        NOT NULL,
    details      JSONB       NOT NULL CHECK (jsonb_typeof(details) = 'object' AND details ->> 'action' = action),
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    recorded_by  TEXT        NOT NULL
);
CREATE INDEX disclosure_request_events_request_idx ON disclosure_request_events (request_id, id);

-- 行政复议 and 行政诉讼 about disclosure (table 四).
CREATE TABLE disclosure_appeals (
    id           BIGSERIAL PRIMARY KEY,
    unit_id      BIGINT      NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    request_id   BIGINT,
    kind         TEXT        NOT NULL
        CHECK (kind IN ('administrative_review', 'lawsuit_direct', 'lawsuit_after_review')),
    filed_on     DATE        NOT NULL,
    result       TEXT        NOT NULL DEFAULT 'pending'
        CHECK (result IN ('upheld', 'corrected', 'other', 'pending')),
    decided_on   DATE,
    case_number  TEXT        CHECK (char_length(btrim(case_number)) BETWEEN 1 AND 100),
    note         TEXT        NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- an appeal about an application names the application's own unit
    CONSTRAINT disclosure_appeals_request_same_unit FOREIGN KEY (request_id, unit_id)
        REFERENCES disclosure_requests (id, unit_id) ON DELETE RESTRICT,
    CONSTRAINT disclosure_appeals_decision_complete CHECK ((result = 'pending') = (decided_on IS NULL)),
    CONSTRAINT disclosure_appeals_decided_after_filing CHECK (decided_on IS NULL OR decided_on >= filed_on)
);
CREATE INDEX disclosure_appeals_unit_idx ON disclosure_appeals (unit_id, id);
CREATE INDEX disclosure_appeals_request_idx ON disclosure_appeals (request_id) WHERE request_id IS NOT NULL;
