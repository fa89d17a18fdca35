using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SecureComms.Traversal.Stun.Attributes;

/// <summary>
/// An attribute carrying a transport address: reserved byte (0) ‖ family (0x01 IPv4, 0x02 IPv6) ‖ port (16) ‖
/// address (32 or 128 bits) (RFC 8489 §14.1). The XOR form masks port and address (§14.2).
/// </summary>
/// <remarks>
/// <para><b>Reading.</b> The reserved first byte is ignored (§14.1: "MUST be ignored by receivers"); the value
/// length must be exactly 8 (IPv4) or 20 (IPv6) bytes; any other family is malformed.</para>
/// <para><b>Hazard.</b> MAPPED-ADDRESS is rewritten by some NATs that look for the client's address in payloads;
/// XOR-MAPPED-ADDRESS is what a client must use (§14.2).</para>
/// </remarks>
public abstract class AddressAttribute : StunAttribute
{
    /// <summary>Family code of IPv4 (§14.1).</summary>
    public const byte FamilyIPv4 = 0x01;

    /// <summary>Family code of IPv6 (§14.1).</summary>
    public const byte FamilyIPv6 = 0x02;

    /// <summary>Value size with an IPv4 address: 4 + 4 bytes.</summary>
    public const int IPv4ValueSizeInBytes = 4 + 4;

    /// <summary>Value size with an IPv6 address: 4 + 16 bytes.</summary>
    public const int IPv6ValueSizeInBytes = 4 + 16;

    private readonly byte[] _address;

    /// <summary>An attribute for <paramref name="endPoint"/> (IPv4 or IPv6; the scope ID is not carried).</summary>
    /// <exception cref="ArgumentException">Neither IPv4 nor IPv6.</exception>
    protected AddressAttribute(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException("A STUN address is IPv4 or IPv6.", nameof(endPoint));
        }
        _address = endPoint.Address.GetAddressBytes();
        Port = (ushort)endPoint.Port;
    }

    /// <summary>The port.</summary>
    public ushort Port { get; }

    /// <summary>The transport address (a new object each time: <see cref="IPEndPoint"/> is mutable).</summary>
    public IPEndPoint EndPoint => new(new IPAddress(_address), Port);

    /// <inheritdoc/>
    public override int ValueLength => _address.Length == 4 ? IPv4ValueSizeInBytes : IPv6ValueSizeInBytes;

    /// <summary>Whether port and address are masked (§14.2).</summary>
    private protected abstract bool Xored { get; }

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId)
    {
        destination[0] = 0;
        destination[1] = _address.Length == 4 ? FamilyIPv4 : FamilyIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Port);
        _address.CopyTo(destination[4..]);
        if (Xored)
        {
            Mask(destination, transactionId);
        }
    }

    /// <summary>
    /// Decodes port and address from <paramref name="value"/>, unmasking when <paramref name="xored"/>;
    /// false when the family or the length is wrong.
    /// </summary>
    private protected static bool TryDecode(ReadOnlySpan<byte> value, TransactionId transactionId, bool xored, out IPEndPoint? endPoint)
    {
        endPoint = null;
        int expected = value.Length >= 2 ? value[1] switch
        {
            FamilyIPv4 => IPv4ValueSizeInBytes,
            FamilyIPv6 => IPv6ValueSizeInBytes,
            _ => -1,
        } : -1;
        if (value.Length != expected)
        {
            return false;
        }
        Span<byte> plain = stackalloc byte[IPv6ValueSizeInBytes];
        plain = plain[..value.Length];
        value.CopyTo(plain);
        if (xored)
        {
            Mask(plain, transactionId);
        }
        endPoint = new IPEndPoint(new IPAddress(plain[4..]), BinaryPrimitives.ReadUInt16BigEndian(plain[2..]));
        return true;
    }

    /// <summary>
    /// §14.2: X-Port = port XOR the cookie's 16 most significant bits; X-Address = address XOR the cookie (IPv4)
    /// or XOR cookie ‖ transaction ID (IPv6). Its own inverse.
    /// </summary>
    private static void Mask(Span<byte> value, TransactionId transactionId)
    {
        Span<byte> mask = stackalloc byte[4 + TransactionId.SizeInBytes];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunLimits.MagicCookie);
        transactionId.Bytes.CopyTo(mask[4..]);
        value[2] ^= mask[0];
        value[3] ^= mask[1];
        for (int i = 4; i < value.Length; i++)
        {
            value[i] ^= mask[i - 4];
        }
    }

    /// <summary>The type code and the address (addresses are not secret).</summary>
    public override string ToString() => $"0x{Type:x4} {EndPoint}";
}

/// <summary>MAPPED-ADDRESS (0x0001, RFC 8489 §14.1): the reflexive address, unmasked (RFC 3489 compatibility).</summary>
public sealed class MappedAddressAttribute(IPEndPoint endPoint) : AddressAttribute(endPoint)
{
    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.MappedAddress;

    private protected override bool Xored => false;

    internal static MappedAddressAttribute? TryDecode(ReadOnlySpan<byte> value, TransactionId transactionId) =>
        TryDecode(value, transactionId, xored: false, out var endPoint) ? new(endPoint!) : null;
}

/// <summary>XOR-MAPPED-ADDRESS (0x0020, RFC 8489 §14.2): the reflexive address, masked so NATs cannot rewrite it.</summary>
public sealed class XorMappedAddressAttribute(IPEndPoint endPoint) : AddressAttribute(endPoint)
{
    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.XorMappedAddress;

    private protected override bool Xored => true;

    internal static XorMappedAddressAttribute? TryDecode(ReadOnlySpan<byte> value, TransactionId transactionId) =>
        TryDecode(value, transactionId, xored: true, out var endPoint) ? new(endPoint!) : null;
}

/// <summary>ALTERNATE-SERVER (0x8023, RFC 8489 §14.15): where a 300 Try Alternate response redirects the client.</summary>
public sealed class AlternateServerAttribute(IPEndPoint endPoint) : AddressAttribute(endPoint)
{
    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.AlternateServer;

    private protected override bool Xored => false;

    internal static AlternateServerAttribute? TryDecode(ReadOnlySpan<byte> value, TransactionId transactionId) =>
        TryDecode(value, transactionId, xored: false, out var endPoint) ? new(endPoint!) : null;
}
