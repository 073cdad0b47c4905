namespace CanvasLearning.Sessions;

/// <summary>What a session id looks like; route values are checked against it before they reach the store.</summary>
public static class SessionIds
{
    public static bool IsValid(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
