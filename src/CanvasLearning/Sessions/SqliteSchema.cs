namespace CanvasLearning.Sessions;

internal static class SqliteSchema
{
    // WAL lets pollers read while the engine writes; synchronous=FULL because "no accepted work
    // is lost" is a promise we make about a killed process and a crashed machine alike.
    public const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";

    /// <summary>WAL is a property of the database file: set once, not on every connection.</summary>
    public const string JournalMode = "PRAGMA journal_mode=WAL;";

    public const string Create = """
        CREATE TABLE IF NOT EXISTS sessions (
            session_id      TEXT PRIMARY KEY,
            canvas_path     TEXT NOT NULL,
            status          TEXT NOT NULL,
            max_concurrent  INTEGER NOT NULL,
            timeout_seconds INTEGER NOT NULL,
            agent_provider  TEXT NOT NULL,
            created_at      TEXT NOT NULL,
            started_at      TEXT,
            completed_at    TEXT,
            last_seq        INTEGER NOT NULL DEFAULT 0,
            total_nodes     INTEGER NOT NULL DEFAULT 0,
            completed_nodes INTEGER NOT NULL DEFAULT 0,
            failed_nodes    INTEGER NOT NULL DEFAULT 0,
            finished_nodes  INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS ix_sessions_created ON sessions (created_at DESC);
        CREATE INDEX IF NOT EXISTS ix_sessions_status ON sessions (status);
        CREATE INDEX IF NOT EXISTS ix_sessions_canvas ON sessions (canvas_path);
        CREATE TABLE IF NOT EXISTS session_nodes (
            session_id    TEXT NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
            node_id       TEXT NOT NULL,
            ordinal       INTEGER NOT NULL,
            group_id      TEXT NOT NULL,
            agent_type    TEXT NOT NULL,
            text          TEXT NOT NULL,
            status        TEXT NOT NULL,
            file_path     TEXT NOT NULL,
            file_size     INTEGER,
            error_message TEXT,
            error_type    TEXT,
            attempts      INTEGER NOT NULL DEFAULT 0,
            duration_ms   INTEGER,
            model         TEXT,
            tokens_in     INTEGER NOT NULL DEFAULT 0,
            tokens_out    INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, node_id)
        );
        CREATE TABLE IF NOT EXISTS session_events (
            session_id TEXT NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            type       TEXT NOT NULL,
            payload    TEXT NOT NULL,
            PRIMARY KEY (session_id, seq)
        ) WITHOUT ROWID;
        """;

    /// <summary>The schema this build writes; older files are brought up to it when the store opens them.</summary>
    public const int Version = 2;

    /// <summary>
    /// Version 2: node counts per session and per group, kept by triggers in the transaction that
    /// changes a node, so a finished node's events never recount the session. Idempotent.
    /// </summary>
    public const string Counters = """
        CREATE TABLE IF NOT EXISTS session_groups (
            session_id TEXT NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
            group_id   TEXT NOT NULL,
            total      INTEGER NOT NULL DEFAULT 0,
            completed  INTEGER NOT NULL DEFAULT 0,
            failed     INTEGER NOT NULL DEFAULT 0,
            finished   INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, group_id)
        ) WITHOUT ROWID;
        CREATE TRIGGER IF NOT EXISTS session_nodes_counted AFTER INSERT ON session_nodes
        BEGIN
            INSERT OR IGNORE INTO session_groups (session_id, group_id) VALUES (NEW.session_id, NEW.group_id);
            UPDATE session_groups SET total = total + 1, completed = completed + (NEW.status = 'completed'),
                failed = failed + (NEW.status = 'failed'), finished = finished + (NEW.status IN ('completed', 'failed', 'cancelled'))
            WHERE session_id = NEW.session_id AND group_id = NEW.group_id;
            UPDATE sessions SET total_nodes = total_nodes + 1, completed_nodes = completed_nodes + (NEW.status = 'completed'),
                failed_nodes = failed_nodes + (NEW.status = 'failed'), finished_nodes = finished_nodes + (NEW.status IN ('completed', 'failed', 'cancelled'))
            WHERE session_id = NEW.session_id;
        END;
        CREATE TRIGGER IF NOT EXISTS session_nodes_recounted AFTER UPDATE OF status ON session_nodes WHEN OLD.status <> NEW.status
        BEGIN
            UPDATE session_groups SET
                completed = completed + (NEW.status = 'completed') - (OLD.status = 'completed'),
                failed = failed + (NEW.status = 'failed') - (OLD.status = 'failed'),
                finished = finished + (NEW.status IN ('completed', 'failed', 'cancelled')) - (OLD.status IN ('completed', 'failed', 'cancelled'))
            WHERE session_id = NEW.session_id AND group_id = NEW.group_id;
            UPDATE sessions SET
                completed_nodes = completed_nodes + (NEW.status = 'completed') - (OLD.status = 'completed'),
                failed_nodes = failed_nodes + (NEW.status = 'failed') - (OLD.status = 'failed'),
                finished_nodes = finished_nodes + (NEW.status IN ('completed', 'failed', 'cancelled')) - (OLD.status IN ('completed', 'failed', 'cancelled'))
            WHERE session_id = NEW.session_id;
        END;
        """;

    /// <summary>From version 1 (no counts): the columns, then every session counted once.</summary>
    public const string FromVersion1 = """
        ALTER TABLE sessions ADD COLUMN total_nodes INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sessions ADD COLUMN completed_nodes INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sessions ADD COLUMN failed_nodes INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sessions ADD COLUMN finished_nodes INTEGER NOT NULL DEFAULT 0;
        """;

    public const string CountAll = """
        UPDATE sessions SET
            total_nodes = (SELECT COUNT(*) FROM session_nodes n WHERE n.session_id = sessions.session_id),
            completed_nodes = (SELECT COUNT(*) FROM session_nodes n WHERE n.session_id = sessions.session_id AND n.status = 'completed'),
            failed_nodes = (SELECT COUNT(*) FROM session_nodes n WHERE n.session_id = sessions.session_id AND n.status = 'failed'),
            finished_nodes = (SELECT COUNT(*) FROM session_nodes n WHERE n.session_id = sessions.session_id AND n.status IN ('completed', 'failed', 'cancelled'));
        DELETE FROM session_groups;
        INSERT INTO session_groups (session_id, group_id, total, completed, failed, finished)
            SELECT session_id, group_id, COUNT(*), SUM(status = 'completed'), SUM(status = 'failed'), SUM(status IN ('completed', 'failed', 'cancelled'))
            FROM session_nodes GROUP BY session_id, group_id;
        """;
}
