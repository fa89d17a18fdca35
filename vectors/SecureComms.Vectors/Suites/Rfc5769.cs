using System.Net;
using SecureComms.Traversal.Stun;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Vectors.Suites;

/// <summary>
/// RFC 5769 §2.1-2.4, the STUN sample messages: each is read, every attribute the case names is checked
/// (SOFTWARE, USERNAME and its UTF-8 bytes, REALM, NONCE, the XOR-MAPPED-ADDRESS), MESSAGE-INTEGRITY verifies under
/// the case's key and not under a wrong one, the FINGERPRINT (when present) verified on reading, and the message is
/// produced again bit for bit from its parts.
/// </summary>
/// <remarks>
/// <para><b>Keys.</b> §2.1-2.3: short-term, key = the password. §2.4: long-term, key = MD5(username ":" realm ":"
/// password) with the SASLprep'd password of the case (<c>password</c>); SecureComms does not implement SASLprep
/// (nor PRECIS), so the case also checks that the unprepared <c>password_before_saslprep</c> does <i>not</i> verify.</para>
/// <para><b>Re-production.</b> A new message with the same transaction ID and attribute order: typed attributes
/// rebuilt from the case's strings and address, the ICE attributes (PRIORITY, ICE-CONTROLLED: not interpreted by
/// SecureComms) carried raw, MESSAGE-INTEGRITY and FINGERPRINT as placeholders computed by
/// <see cref="StunWriter"/> with the key. The samples' padding byte is read from the sample (0x20 in §2.1-2.3,
/// 0x00 in §2.4) and given to the writer.</para>
/// </remarks>
public sealed class Rfc5769() : VectorSuite("rfc5769", "rfc/rfc5769_stun.json")
{
    /// <inheritdoc/>
    protected override Verdict Check(VectorCase testCase)
    {
        byte[] sample = testCase.Bytes("message");
        if (!StunReader.TryRead(sample, out var message, out var error))
        {
            return Verdict.Fail($"refused: {error}");
        }
        if (CheckFields(testCase, message) is { } fieldProblem)
        {
            return Verdict.Fail(fieldProblem);
        }
        bool longTerm = testCase.Has("realm");
        using var key = longTerm
            ? StunKey.LongTerm(testCase.Text("username"), testCase.Text("realm"), testCase.Text("password"))
            : StunKey.ShortTerm(testCase.Text("password"));
        using var wrongKey = longTerm
            ? StunKey.LongTerm(testCase.Text("username"), testCase.Text("realm"), testCase.Text("password_before_saslprep"))
            : StunKey.ShortTerm(testCase.Text("password") + "x");
        if (message.VerifyMessageIntegrity(key) != IntegrityCheck.Valid)
        {
            return Verdict.Fail("MESSAGE-INTEGRITY does not verify under the case's key");
        }
        if (message.VerifyMessageIntegrity(wrongKey) != IntegrityCheck.Invalid)
        {
            return Verdict.Fail("MESSAGE-INTEGRITY verifies under a wrong key");
        }
        byte[] produced = StunWriter.Write(Rebuild(testCase, message), key, PaddingByteOf(sample, message));
        return Verdict.PassIf(produced.AsSpan().SequenceEqual(sample),
            $"re-produced message differs: {Convert.ToHexStringLower(produced)}");
    }

    private static string? CheckFields(VectorCase testCase, StunMessage message)
    {
        if (testCase.Has("software") && message.Get<SoftwareAttribute>()?.Text != testCase.Text("software"))
        {
            return "SOFTWARE differs";
        }
        if (testCase.Has("username") && message.Get<UsernameAttribute>()?.Text != testCase.Text("username"))
        {
            return "USERNAME differs";
        }
        if (testCase.Has("username_utf8_hex")
            && !(message.Get<UsernameAttribute>()?.Utf8Bytes.SequenceEqual(testCase.Bytes("username_utf8_hex")) ?? false))
        {
            return "USERNAME bytes differ";
        }
        if (testCase.Has("realm") && message.Get<RealmAttribute>()?.Text != testCase.Text("realm"))
        {
            return "REALM differs";
        }
        if (testCase.Has("nonce") && message.Get<NonceAttribute>()?.Text != testCase.Text("nonce"))
        {
            return "NONCE differs";
        }
        if (testCase.Has("mapped_address"))
        {
            var expected = new IPEndPoint(IPAddress.Parse(testCase.Text("mapped_address")), testCase.Int("mapped_port"));
            if (message.Get<XorMappedAddressAttribute>()?.EndPoint.Equals(expected) != true)
            {
                return $"XOR-MAPPED-ADDRESS is {message.Get<XorMappedAddressAttribute>()?.EndPoint}, expected {expected}";
            }
        }
        return message.Get<MessageIntegrityAttribute>() is null ? "no MESSAGE-INTEGRITY" : null;
    }

    /// <summary>The message made again from its parts: the case's values where it has them.</summary>
    private static StunMessage Rebuild(VectorCase testCase, StunMessage message)
    {
        var attributes = message.Attributes.Select(StunAttribute (attribute) => attribute switch
        {
            SoftwareAttribute => new SoftwareAttribute(testCase.Text("software")),
            UsernameAttribute => new UsernameAttribute(testCase.Text("username")),
            RealmAttribute => new RealmAttribute(testCase.Text("realm")),
            NonceAttribute => new NonceAttribute(testCase.Text("nonce")),
            XorMappedAddressAttribute => new XorMappedAddressAttribute(
                new IPEndPoint(IPAddress.Parse(testCase.Text("mapped_address")), testCase.Int("mapped_port"))),
            MessageIntegrityAttribute => MessageIntegrityAttribute.Placeholder(),
            FingerprintAttribute => FingerprintAttribute.Placeholder(),
            RawAttribute raw => new RawAttribute(raw.Type, raw.Value),
            _ => throw new VectorFormatException($"case {testCase.Id}: unexpected attribute {attribute}"),
        });
        return new StunMessage(message.Class, message.Method, TransactionId.FromBytes(message.TransactionId.Bytes), attributes);
    }

    /// <summary>The byte the sample pads with: that of its first padded attribute (0x00 when none is padded).</summary>
    private static byte PaddingByteOf(byte[] sample, StunMessage message)
    {
        int offset = StunLimits.HeaderSizeInBytes;
        foreach (var attribute in message.Attributes)
        {
            int end = offset + StunLimits.AttributeHeaderSizeInBytes + attribute.ValueLength;
            if (attribute.ValueLength % StunLimits.Alignment != 0)
            {
                return sample[end];
            }
            offset = end; // not padded
        }
        return 0x00;
    }
}
