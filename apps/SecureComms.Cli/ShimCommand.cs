using System.CommandLine;
using SecureComms.Interop.Signal;

namespace SecureComms.Cli;

/// <summary>
/// <c>securecomms shim signal</c>: one Signal party driven by JSON lines on stdin, replies on stdout
/// (<c>docs/shim.md</c>), so that any implementation's test runner can drive ours.
/// </summary>
internal static class ShimCommand
{
    internal static Command Create()
    {
        var signal = new Command("signal", "Signal shim: one JSON request per line on stdin, one reply per line on stdout (docs/shim.md).");
        signal.SetAction(_ =>
        {
            using var shim = new SignalShim();
            shim.Run(Console.In, Console.Out);
            return 0;
        });
        var shimCommand = new Command("shim", "Drivers for conformance runs by other implementations' test runners.");
        shimCommand.Subcommands.Add(signal);
        return shimCommand;
    }
}
