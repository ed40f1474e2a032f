-- Rate-limit counters shared by every node on one database: how many requests each API key
-- was granted in each fixed window (`window_start` in Unix ms). The housekeeping task deletes
-- windows that have ended.
CREATE TABLE rate_limits (
    key          TEXT   NOT NULL,
    window_start BIGINT NOT NULL,
    granted      BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
