using SecureComms.Fuzz;
using SharpFuzz;

// securecomms-fuzz: runs one fuzz target under afl-fuzz, or replays files through it. See fuzz/README.md.
//   securecomms-fuzz TARGET            AFL mode: SharpFuzz's out-of-process fork server reads inputs from
//                                      afl-fuzz (run by scripts/fuzz); outside afl-fuzz, one input from stdin.
//   securecomms-fuzz TARGET FILE...    replay: runs each file, prints the escaping exception if any.
//   securecomms-fuzz --list            the target names.
//   securecomms-fuzz --make-signal-seeds FUZZDIR
//                                      writes the Signal targets' seeds and SessionDecryptFixture.cs (SignalSeeds).
//   securecomms-fuzz --make-certificate-seeds FUZZDIR
//                                      writes identity-certificate's seeds (IdentityCertificateTarget.MakeSeeds).
//   securecomms-fuzz --make-cloud-handler-seeds FUZZDIR
//                                      writes cloud-handlers' seeds (CloudHandlerSeeds).
//   securecomms-fuzz --trace-cloud-handlers FILE...
//                                      runs cloud-handlers inputs, printing each request and its answer.

const int Usage = 2;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: securecomms-fuzz TARGET [FILE...] | --list | --make-signal-seeds FUZZDIR | --make-certificate-seeds FUZZDIR | --make-cloud-handler-seeds FUZZDIR | --trace-cloud-handlers FILE...");
    Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTargets.All.Keys));
    return Usage;
}
if (args[0] == "--list")
{
    foreach (string name in FuzzTargets.All.Keys)
    {
        Console.WriteLine(name);
    }
    return 0;
}
if (args[0] == "--make-signal-seeds" && args.Length == 2)
{
    return SignalSeeds.Write(args[1]);
}
if (args[0] == "--make-certificate-seeds" && args.Length == 2)
{
    return SecureComms.Fuzz.Targets.IdentityCertificateTarget.WriteSeeds(args[1]);
}
if (args[0] == "--make-cloud-handler-seeds" && args.Length == 2)
{
    return SecureComms.Fuzz.Cloud.CloudHandlerSeeds.Write(args[1]);
}
if (args[0] == "--trace-cloud-handlers" && args.Length > 1)
{
    return SecureComms.Fuzz.Targets.CloudHandlersTarget.Trace(args[1..]);
}
if (!FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return Usage;
}
if (args.Length > 1)
{
    return Replay.Files(target, args[1..]);
}
Fuzzer.OutOfProcess.Run(stream => target(FuzzInputStream.ReadAll(stream)));
return 0;
