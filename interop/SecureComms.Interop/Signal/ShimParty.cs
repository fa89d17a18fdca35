using System.Text;
using System.Text.Json.Nodes;

namespace SecureComms.Interop.Signal;

/// <summary>A message as one shim produced it: libsignal's type number and the base64 body.</summary>
/// <param name="Type">3 = PreKeySignalMessage, 2 = SignalMessage.</param>
/// <param name="Body">Base64 of the wire bytes.</param>
/// <param name="Text">The plaintext it carries (for the checks).</param>
public sealed record Sent(int Type, string Body, string Text);

/// <summary>A shim's reply: success, or the error reason it gave.</summary>
/// <param name="Ok">Whether the op succeeded.</param>
/// <param name="Error">The reason, when it did not.</param>
/// <param name="Fields">The whole reply.</param>
public sealed record ShimReply(bool Ok, string? Error, JsonObject Fields)
{
    /// <summary>The decrypted text of a decrypt reply.</summary>
    public string Plaintext => Encoding.UTF8.GetString(Convert.FromBase64String(Fields["plaintext"]!.GetValue<string>()));

    /// <summary>What it said, for a report.</summary>
    public override string ToString() => Ok ? "ok" : $"{Error}: {Fields["message"]}";
}

/// <summary>One party of an interop scenario: a name, a device, and the shim that plays it.</summary>
public sealed class ShimParty(ShimPeer peer, string name, uint deviceId = 1)
{
    /// <summary>The implementation playing this party.</summary>
    public ShimPeer Peer { get; } = peer;

    /// <summary>The party's name (its address for the other side).</summary>
    public string Name { get; } = name;

    /// <summary>The party's device id.</summary>
    public uint DeviceId { get; } = deviceId;

    /// <summary>The identity key (base64 of 0x05 ‖ u) from the last <see cref="Init"/>.</summary>
    public string IdentityKey { get; private set; } = "";

    /// <summary>Starts the party afresh: new identity, empty stores.</summary>
    public void Init(uint registrationId) =>
        IdentityKey = Require(Call("init", new() { ["name"] = Name, ["registrationId"] = registrationId, ["deviceId"] = DeviceId }), "init")
            .Fields["identityKey"]!.GetValue<string>();

    /// <summary>A prekey bundle (with a fresh one-time prekey when asked).</summary>
    public JsonObject Bundle(uint preKeyId, uint signedPreKeyId, bool oneTimePreKey) =>
        Require(Call("bundle", new() { ["preKeyId"] = preKeyId, ["signedPreKeyId"] = signedPreKeyId, ["oneTimePreKey"] = oneTimePreKey }), "bundle")
            .Fields["bundle"]!.AsObject();

    /// <summary>X3DH as initiator with <paramref name="of"/>'s bundle.</summary>
    public ShimReply ProcessBundle(ShimParty of, JsonObject bundle) =>
        Call("process_bundle", new() { ["peer"] = of.Name, ["deviceId"] = of.DeviceId, ["bundle"] = bundle.DeepClone() });

    /// <summary>Encrypts <paramref name="text"/> to <paramref name="to"/>; any refusal is an <see cref="InteropException"/>.</summary>
    public Sent Encrypt(ShimParty to, string text)
    {
        ShimReply reply = Require(Call("encrypt", new() { ["peer"] = to.Name, ["deviceId"] = to.DeviceId, ["plaintext"] = Base64(text) }), "encrypt");
        return new Sent(reply.Fields["type"]!.GetValue<int>(), reply.Fields["body"]!.GetValue<string>(), text);
    }

    /// <summary>Decrypts a message from <paramref name="from"/>.</summary>
    public ShimReply Decrypt(ShimParty from, Sent message) =>
        Call("decrypt", new() { ["peer"] = from.Name, ["deviceId"] = from.DeviceId, ["type"] = message.Type, ["body"] = message.Body });

    /// <summary>Approves <paramref name="of"/>'s (changed) identity.</summary>
    public ShimReply Trust(ShimParty of) =>
        Call("trust", new() { ["peer"] = of.Name, ["deviceId"] = of.DeviceId, ["identityKey"] = of.IdentityKey });

    /// <summary>The safety number between this party and <paramref name="remote"/>.</summary>
    public ShimReply Fingerprint(ShimParty remote) =>
        Require(Call("fingerprint", new() { ["localName"] = Name, ["remoteName"] = remote.Name, ["remoteIdentityKey"] = remote.IdentityKey }), "fingerprint");

    /// <summary>XEdDSA signature by this party's identity key (base64).</summary>
    public string Sign(byte[] message) =>
        Require(Call("sign", new() { ["message"] = Convert.ToBase64String(message) }), "sign").Fields["signature"]!.GetValue<string>();

    /// <summary>Whether this party's implementation accepts the signature.</summary>
    public bool Verify(string publicKey, byte[] message, string signature) =>
        Require(Call("verify", new() { ["publicKey"] = publicKey, ["message"] = Convert.ToBase64String(message), ["signature"] = signature }), "verify")
            .Fields["valid"]!.GetValue<bool>();

    /// <summary>The implementation, for reports.</summary>
    public override string ToString() => $"{Name}@{Peer.Implementation}";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private ShimReply Call(string op, JsonObject fields)
    {
        fields["op"] = op;
        JsonObject reply = Peer.Call(fields);
        return new ShimReply(reply["ok"]?.GetValue<bool>() == true, reply["error"]?.GetValue<string>(), reply);
    }

    private ShimReply Require(ShimReply reply, string op) =>
        reply.Ok ? reply : throw new InteropException($"{this}: {op} failed: {reply}");
}
