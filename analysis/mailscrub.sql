-- Typed readers of mailscrub output for DuckDB.
--
-- read_json_auto guesses a column's type from the first rows it samples: a field that
-- is null in all of them (spam_score, list, date on most days) is typed NULL, and its
-- later values are lost without an error. These macros give every column of the
-- schemas (schema/*.schema.json) its type instead. Fields a policy drops read as NULL.
--
--   duckdb -c ".read analysis/mailscrub.sql" \
--          -c "SELECT status, count(*) FROM deliveries('mail-*.ndjson') GROUP BY ALL"
--
-- Parquet, one folder per host and day:
--
--   COPY (SELECT *, CAST(logged_at AS DATE) AS day FROM deliveries('mail-*.ndjson'))
--       TO 'deliveries' (FORMAT parquet, PARTITION_BY (host, day));

-- Records mode: mailscrub.delivery/1.
CREATE OR REPLACE MACRO deliveries(files) AS TABLE
    SELECT * FROM read_ndjson(files, columns = {
        'schema': 'VARCHAR',
        'key_id': 'VARCHAR',
        'host': 'VARCHAR',
        'queue_id': 'VARCHAR',
        'previous_queue_id': 'VARCHAR',
        'next_queue_id': 'VARCHAR',
        'notification_for': 'VARCHAR',
        'message_id': 'VARCHAR',
        'resent_message_id': 'VARCHAR',
        're_message_id': 'VARCHAR',
        'first_seen_at': 'TIMESTAMPTZ',
        'logged_at': 'TIMESTAMPTZ',
        'date': 'TIMESTAMPTZ',
        'sent_at': 'TIMESTAMPTZ',
        'received_at': 'TIMESTAMPTZ',
        'sender': 'VARCHAR',
        'recipient': 'VARCHAR',
        'orig_recipient': 'VARCHAR',
        'from': 'VARCHAR[]',
        'to': 'VARCHAR[]',
        'cc': 'VARCHAR[]',
        'bcc': 'VARCHAR[]',
        'hidden_recipient': 'BOOLEAN',
        'message_size': 'BIGINT',
        'nrcpt': 'BIGINT',
        'subject_size': 'BIGINT',
        'spam_score': 'DOUBLE',
        'is_list': 'BOOLEAN',
        'list': 'VARCHAR',
        'is_outgoing': 'BOOLEAN',
        'status': 'VARCHAR',
        'dsn': 'VARCHAR',
        'transport': 'VARCHAR',
        'delay': 'DOUBLE',
        'delays': 'DOUBLE[]',
        'reject_reason': 'VARCHAR'
    });

-- Events mode: mailscrub.event/1; each kind's fields, NULL on other kinds.
CREATE OR REPLACE MACRO events(files) AS TABLE
    SELECT * FROM read_ndjson(files, columns = {
        'schema': 'VARCHAR',
        'key_id': 'VARCHAR',
        'time': 'TIMESTAMPTZ',
        'host': 'VARCHAR',
        'program': 'VARCHAR',
        'pid': 'BIGINT',
        'queue_id': 'VARCHAR',
        'event': 'VARCHAR',
        'client_name': 'VARCHAR',
        'client_ip': 'VARCHAR',
        'sasl_username': 'VARCHAR',
        'previous_queue_id': 'VARCHAR',
        'uid': 'BIGINT',
        'sender': 'VARCHAR',
        'list': 'VARCHAR',
        'message_id': 'VARCHAR',
        'resent_message_id': 'VARCHAR',
        'action': 'VARCHAR',
        'name': 'VARCHAR',
        'value': 'VARCHAR',
        'recipient': 'VARCHAR',
        'message_size': 'BIGINT',
        'nrcpt': 'BIGINT',
        'orig_recipient': 'VARCHAR',
        'relay': 'VARCHAR',
        'delay': 'DOUBLE',
        'delays': 'DOUBLE[]',
        'dsn': 'VARCHAR',
        'status': 'VARCHAR',
        'text': 'VARCHAR',
        'next_queue_id': 'VARCHAR',
        'notification': 'VARCHAR',
        'new_queue_id': 'VARCHAR',
        'reject_reason': 'VARCHAR',
        'spam_score': 'DOUBLE'
    });
