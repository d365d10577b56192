ALTER TABLE opinion_promises
    DROP CONSTRAINT opinion_promises_verified_pair,
    DROP COLUMN verified_by,
    DROP COLUMN verified_on;
