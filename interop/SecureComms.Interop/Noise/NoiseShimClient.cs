using System.Text.Json.Nodes;
using SecureComms.Interop.Signal;

namespace SecureComms.Interop.Noise;

/// <summary>A Noise shim's reply: success with its fields, or the refusal it gave.</summary>
/// <param name="Ok">Whether the op succeeded.</param>
/// <param name="Error">The peer's reason, when it did not (its own words, e.g. noise-c's <c>NOISE_ERROR_MAC_FAILURE</c>).</param>
/// <param name="Fields">The whole reply.</param>
public sealed record NoiseShimReply(bool Ok, string? Error, JsonObject Fields)
{
    /// <summary>Whether this message completed the handshake (<c>write</c> and <c>read</c> replies).</summary>
    public bool Complete => Fields["complete"]?.GetValue<bool>() == true;

    /// <summary>A hex field as bytes (empty when absent).</summary>
    public byte[] Bytes(string field) => Convert.FromHexString(Fields[field]?.GetValue<string>() ?? "");

    /// <summary>What it said, for a report.</summary>
    public override string ToString() => Ok ? "ok" : $"refused: {Error}";
}

/// <summary>
/// One party of a Noise handshake played by another implementation's shim: typed calls over the line protocol
/// of <c>interop/noise/README.md</c> (<c>start</c>, <c>write</c>, <c>read</c>, <c>encrypt</c>, <c>decrypt</c>).
/// </summary>
/// <remarks>
/// A refusal (<c>ok: false</c>) is a value the caller inspects: the negative scenarios expect some. A peer that
/// does not answer, or answers out of order, is an <see cref="InteropException"/> from <see cref="ShimPeer"/>.
/// </remarks>
public sealed class NoiseShimClient(ShimPeer peer)
{
    /// <summary>The implementation behind this party.</summary>
    public string Implementation => peer.Implementation;

    /// <summary>Starts a fresh handshake: role, protocol, the shim's own static private key, the responder's static
    /// public key when the pattern pre-declares it (IK initiator), and the prologue.</summary>
    public NoiseShimReply Start(string protocol, bool initiator, ReadOnlySpan<byte> staticPrivate, ReadOnlySpan<byte> remoteStatic, ReadOnlySpan<byte> prologue)
    {
        var request = new JsonObject
        {
            ["op"] = "start",
            ["protocol"] = protocol,
            ["role"] = initiator ? "initiator" : "responder",
            ["staticPrivate"] = Hex(staticPrivate),
            ["prologue"] = Hex(prologue),
        };
        if (!remoteStatic.IsEmpty)
        {
            request["remoteStatic"] = Hex(remoteStatic);
        }
        return Call(request);
    }

    /// <summary>§5.3 WriteMessage: the reply carries <c>message</c>, and on completion <c>handshakeHash</c> and <c>remoteStatic</c>.</summary>
    public NoiseShimReply Write(ReadOnlySpan<byte> payload) => Call(new() { ["op"] = "write", ["payload"] = Hex(payload) });

    /// <summary>§5.3 ReadMessage: the reply carries <c>payload</c>, and on completion <c>handshakeHash</c> and <c>remoteStatic</c>.</summary>
    public NoiseShimReply Read(ReadOnlySpan<byte> message) => Call(new() { ["op"] = "read", ["message"] = Hex(message) });

    /// <summary>A transport message: EncryptWithAd(zerolen, payload) with the shim's sending CipherState.</summary>
    public NoiseShimReply Encrypt(ReadOnlySpan<byte> payload) => Call(new() { ["op"] = "encrypt", ["payload"] = Hex(payload) });

    /// <summary>A transport message: DecryptWithAd(zerolen, message) with the shim's receiving CipherState.</summary>
    public NoiseShimReply Decrypt(ReadOnlySpan<byte> message) => Call(new() { ["op"] = "decrypt", ["message"] = Hex(message) });

    /// <summary>Like <paramref name="reply"/>, but a refusal is an <see cref="InteropException"/> naming <paramref name="what"/>.</summary>
    public NoiseShimReply Require(NoiseShimReply reply, string what)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Ok ? reply : throw new InteropException($"{Implementation} refused {what}: {reply.Error}");
    }

    private NoiseShimReply Call(JsonObject request)
    {
        JsonObject reply = peer.Call(request);
        bool ok = reply["ok"]?.GetValue<bool>() == true;
        return new NoiseShimReply(ok, ok ? null : reply["error"]?.GetValue<string>() ?? "(no reason)", reply);
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
