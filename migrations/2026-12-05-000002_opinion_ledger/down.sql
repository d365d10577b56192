DROP TABLE opinion_promise_moves;
DROP TABLE opinion_promises;
DROP TABLE opinion_responses;
DROP TABLE opinion_case_units;
DROP TABLE opinion_cases;
