using SecureComms.Traversal.Stun;
using SecureComms.Vectors;

namespace SecureComms.Traversal.Tests;

/// <summary>The RFC 5769 sample messages and their keys, from the embedded <c>rfc/rfc5769_stun.json</c>.</summary>
internal static class Samples
{
    /// <summary>§2.1 Sample Request (short-term, FINGERPRINT, USERNAME padded with 0x20).</summary>
    public const string Request = "rfc5769-2.1";

    /// <summary>§2.2 Sample IPv4 Response.</summary>
    public const string IPv4Response = "rfc5769-2.2";

    /// <summary>§2.3 Sample IPv6 Response.</summary>
    public const string IPv6Response = "rfc5769-2.3";

    /// <summary>§2.4 Sample Request with Long-Term Authentication (no FINGERPRINT).</summary>
    public const string LongTermRequest = "rfc5769-2.4";

    private static VectorFile File => EmbeddedVectors.Load("rfc/rfc5769_stun.json");

    /// <summary>Every sample's id.</summary>
    public static TheoryData<string> Ids => [.. File.Cases.Select(c => c.Id)];

    /// <summary>The sample's case.</summary>
    public static VectorCase Case(string id) => File[id];

    /// <summary>The sample's bytes.</summary>
    public static byte[] Bytes(string id) => File[id].Bytes("message");

    /// <summary>The sample's key (short-term: the password; §2.4: long-term MD5 with the SASLprep'd password).</summary>
    public static StunKey Key(string id)
    {
        var c = File[id];
        return c.Has("realm")
            ? StunKey.LongTerm(c.Text("username"), c.Text("realm"), c.Text("password"))
            : StunKey.ShortTerm(c.Text("password"));
    }

    /// <summary>Reads bytes that must parse.</summary>
    public static StunMessage Read(byte[] bytes) =>
        StunReader.TryRead(bytes, out var message, out var error) ? message : throw new Xunit.Sdk.XunitException($"refused: {error}");
}
