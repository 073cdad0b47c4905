namespace CanvasLearning.Cli.Live;

/// <summary>
/// Ctrl+C while a session is watched. At a terminal (stdin and stdout a TTY) Ctrl+C is read as a key
/// (<see cref="Console.TreatControlCAsInput"/>), so the command can ask what to do instead of being
/// stopped; otherwise the signal cancels the command's token, which means "stop watching".
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenRegistration _signal;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _keys = Task.CompletedTask;
    private readonly bool _interactive;
    private TaskCompletionSource _requested = New();
    private readonly TimeProvider _time;
    private volatile bool _paused;

    public Interrupts(TimeProvider time, CancellationToken signal)
    {
        _time = time;
        _interactive = IsInteractive;
        _signal = signal.Register(() =>
        {
            FromSignal = true;
            _requested.TrySetResult();
        });
        if (_interactive)
        {
            Console.TreatControlCAsInput = true;
            _keys = Task.Run(ReadKeysAsync, CancellationToken.None);
        }
    }

    /// <summary>A person is at the terminal: stdin and stdout are both a TTY.</summary>
    public static bool IsInteractive => !Console.IsInputRedirected && !Console.IsOutputRedirected;

    /// <summary>Completes at Ctrl+C (or the signal).</summary>
    public Task Requested => _requested.Task;

    /// <summary>The interrupt came as a signal (no terminal, or SIGTERM): no question can be asked.</summary>
    public bool FromSignal { get; private set; }

    /// <summary>Whether to ask what to do (a person is there and pressed the keys).</summary>
    public bool CanAsk => _interactive && !FromSignal;

    /// <summary>Stops reading keys, so a prompt gets them.</summary>
    public void Pause() => _paused = true;

    /// <summary>Listens for the next Ctrl+C.</summary>
    public void Resume()
    {
        if (!FromSignal)
        {
            _requested = New();
        }

        _paused = false;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _keys.Wait(TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            // The key reader ends with the token; nothing to report.
        }

        if (_interactive)
        {
            Console.TreatControlCAsInput = false;
        }

        _signal.Dispose();
        _stop.Dispose();
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task ReadKeysAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            // Polled, not a blocking ReadKey: a read still waiting would steal the prompt's keys.
            if (!_paused && Console.KeyAvailable)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.KeyChar == '\u0003' || (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control)))
                {
                    _requested.TrySetResult();
                }

                continue;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
