using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureComms.Load;

/// <summary>
/// The figures of one load run as JSON, one object on stdout. bench/load/driver.mjs prints the same fields for
/// Prosody, and <see cref="ReportCommand"/> reads both. Times in seconds or milliseconds, sizes in bytes, as
/// the names say.
/// </summary>
internal sealed record RunResult(
    string Server,
    int Clients,
    int Pairs,
    int MessagesPerSender,
    int BodyBytes,
    int Window,
    long Delivered,
    double Seconds,
    double MessagesPerSecond,
    double LatencyP50Ms,
    double LatencyP99Ms,
    double LatencyMaxMs,
    double ServerCpuSeconds,
    double ServerCpuPercent,
    long ServerRssBytes,
    long ServerPeakRssBytes,
    SignInResult SignIn);

/// <summary>The sign-in phase of a run: <see cref="Count"/> sign-ins (TLS connection, password check, session).</summary>
internal sealed record SignInResult(int Count, int Concurrency, double Seconds, double PerSecond, double ServerCpuSeconds, double ServerCpuMsPerSignIn);

/// <summary>The idle-connection test: <see cref="Connections"/> TLS connections, each authenticated.</summary>
internal sealed record IdleResult(
    string Server,
    int Connections,
    int Users,
    string Authentication,
    double OpenSeconds,
    long ServerRssBeforeBytes,
    long ServerRssAfterBytes,
    double BytesPerConnection,
    int StillOpen);

/// <summary>The shared JSON shape: camelCase, indented for humans.</summary>
internal static class LoadJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static void Print<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));

    public static T Read<T>(string path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path}: empty JSON");
}
