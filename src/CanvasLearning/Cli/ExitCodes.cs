using CanvasLearning.Sessions;

namespace CanvasLearning.Cli;

/// <summary>The exit codes of every command, defined once; <see cref="Help"/> is what <c>--help</c> and the README say.</summary>
internal static class ExitCodes
{
    /// <summary>Every node explained (or nothing to do), or the command did what it was asked.</summary>
    public const int Done = 0;

    /// <summary>The session ended with failed nodes (<c>partial_failure</c> or <c>failed</c>).</summary>
    public const int SomeFailed = 1;

    /// <summary>Bad input, a refused request, the service unreachable, a bad setting.</summary>
    public const int Error = 2;

    /// <summary>The session was cancelled, or watching stopped (Ctrl+C) before it ended.</summary>
    public const int Cancelled = 3;

    public const string Help =
        "Exit codes: 0 all done; 1 some nodes failed (partial_failure, failed); 2 error (bad input, service unreachable, bad setting); 3 cancelled, or stopped watching before the end.";

    /// <summary>The code for a session in this status; a session still running (watching stopped) counts as cancelled.</summary>
    public static int FromStatus(string status) => status switch
    {
        SessionStatus.Completed => Done,
        SessionStatus.PartialFailure or SessionStatus.Failed => SomeFailed,
        _ => Cancelled,
    };

    /// <summary>The worse of two outcomes: an error over a cancel over failures over success.</summary>
    public static int Worst(int a, int b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(int code) => code switch
    {
        Error => 3,
        Cancelled => 2,
        SomeFailed => 1,
        _ => 0,
    };
}
