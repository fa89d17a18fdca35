namespace SecureComms.Bench;

/// <summary>
/// The two groups of benchmarks, as BenchmarkDotNet categories, so that scripts/bench can run one group alone
/// (<c>--anyCategories Crypto</c> or <c>Signal</c>). Every benchmark class carries exactly one of them.
/// </summary>
internal static class BenchCategories
{
    /// <summary>The primitives of crypto/, compared with <c>openssl speed</c>.</summary>
    internal const string Crypto = "Crypto";

    /// <summary>Signal sessions (protocol/SecureComms.Signal), compared with libsignal-client (interop/signal/bench.mjs).</summary>
    internal const string Signal = "Signal";
}
