using SecureComms.Crypto;

namespace SecureComms.Channel.Noise;

/// <summary>§5.2 <c>ck</c>, the chaining key: HASHLEN bytes that accumulate every DH output and PSK. A secret container.</summary>
internal sealed class ChainingKey : Secret
{
    public ChainingKey(ReadOnlySpan<byte> value) : base(value, exportable: false) { }

    public ReadOnlySpan<byte> Bytes => Value;
}
