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
            last_seq        INTEGER NOT NULL DEFAULT 0
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
        PRAGMA user_version = 1;
        """;
}
