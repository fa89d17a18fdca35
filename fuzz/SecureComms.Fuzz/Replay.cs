using SharpFuzz;

namespace SecureComms.Fuzz;

/// <summary>Runs saved inputs (a crash from <c>fuzz/findings/</c>, a corpus file) through a target outside
/// afl-fuzz, to reproduce and triage a finding.</summary>
internal static class Replay
{
    /// <summary>Runs each file; prints "ok" or the escaping exception; 1 when any input failed.</summary>
    internal static int Files(ReadOnlySpanAction target, IEnumerable<string> paths)
    {
        int failures = 0;
        foreach (string path in paths)
        {
            try
            {
                target(File.ReadAllBytes(path));
                Console.WriteLine($"ok    {path}");
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"FAIL  {path}");
                Console.WriteLine(e);
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
