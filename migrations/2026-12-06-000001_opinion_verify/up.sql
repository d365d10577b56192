-- A kept promise is checked by a coordinator (核实) before its case may close.
ALTER TABLE opinion_promises
    ADD COLUMN verified_on DATE,
    ADD COLUMN verified_by TEXT,
    ADD CONSTRAINT opinion_promises_verified_pair CHECK ((verified_on IS NULL) = (verified_by IS NULL));
