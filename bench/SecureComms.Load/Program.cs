using SecureComms.Load;

// securecomms-load: the load tool of `scripts/bench load` (bench/README.md, Load). Subcommands:
//   setup  --server HOST:PORT --ca FILE --users N
//   run    --server HOST:PORT --ca FILE --server-pid PID --clients N --messages M [--window 32]
//   idle   --server HOST:PORT --ca FILE --server-pid PID --connections C [--users 100]
//   report --results DIR --out FILE [--runs 100,1000,100-w1]
// Figures go to stdout as one JSON object (report: markdown); progress to stderr.
const int UsageError = 2;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    LoadArguments parsed = LoadArguments.Parse(args);
    return parsed.Command switch
    {
        "setup" => await SetupCommand.RunAsync(parsed, stop.Token),
        "run" => await RunCommand.RunAsync(parsed, stop.Token),
        "idle" => await IdleCommand.RunAsync(parsed, stop.Token),
        "report" => ReportCommand.Run(parsed),
        _ => throw new ArgumentException($"unknown subcommand '{parsed.Command}': setup, run, idle or report"),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"securecomms-load: {e.Message}");
    return UsageError;
}
