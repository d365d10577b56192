-- The annual report (政府信息公开工作年度报告): each unit's table 二 figures per year,
-- the saved texts of sections 一 and 五, and the published (frozen) versions.

CREATE TABLE report_figures (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    year INT NOT NULL CHECK (year BETWEEN 2019 AND 2100),
    rules_issued BIGINT NOT NULL CHECK (rules_issued >= 0),
    rules_repealed BIGINT NOT NULL CHECK (rules_repealed >= 0),
    rules_in_force BIGINT NOT NULL CHECK (rules_in_force >= 0),
    normative_documents_issued BIGINT NOT NULL CHECK (normative_documents_issued >= 0),
    normative_documents_repealed BIGINT NOT NULL CHECK (normative_documents_repealed >= 0),
    normative_documents_in_force BIGINT NOT NULL CHECK (normative_documents_in_force >= 0),
    licensing_decisions BIGINT NOT NULL CHECK (licensing_decisions >= 0),
    penalty_decisions BIGINT NOT NULL CHECK (penalty_decisions >= 0),
    enforcement_decisions BIGINT NOT NULL CHECK (enforcement_decisions >= 0),
    -- 万元 in hundredths: the table prints two decimals.
    fees_wan_yuan_hundredths BIGINT NOT NULL CHECK (fees_wan_yuan_hundredths >= 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by TEXT NOT NULL,
    PRIMARY KEY (unit_id, year)
);

CREATE TABLE annual_report_sections (
    issuer_id BIGINT NOT NULL REFERENCES units (id),
    year INT NOT NULL CHECK (year BETWEEN 2019 AND 2100),
    number SMALLINT NOT NULL CHECK (number IN (1, 5)),
    text TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by TEXT NOT NULL,
    PRIMARY KEY (issuer_id, year, number)
);

-- A published version is the whole report as answered, frozen.
CREATE TABLE annual_report_versions (
    issuer_id BIGINT NOT NULL REFERENCES units (id),
    year INT NOT NULL CHECK (year BETWEEN 2019 AND 2100),
    version INT NOT NULL CHECK (version >= 1),
    snapshot JSONB NOT NULL,
    published_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_by TEXT NOT NULL,
    PRIMARY KEY (issuer_id, year, version)
);

-- Whether a new draft was started after the latest publication (the report then answers
-- the live draft again instead of the frozen version).
CREATE TABLE annual_report_drafts (
    issuer_id BIGINT NOT NULL REFERENCES units (id),
    year INT NOT NULL CHECK (year BETWEEN 2019 AND 2100),
    reopened_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (issuer_id, year)
);
