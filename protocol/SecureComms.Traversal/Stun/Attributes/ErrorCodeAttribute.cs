namespace SecureComms.Traversal.Stun.Attributes;

/// <summary>
/// ERROR-CODE (0x0009, RFC 8489 §14.8): 21 reserved bits ‖ class (3 bits, 3-6) ‖ number (8 bits, 0-99) ‖ reason
/// phrase (UTF-8, fewer than 128 characters, at most 763 bytes). The code is class × 100 + number, 300-699.
/// </summary>
/// <remarks>Reading ignores the reserved bits (§14.8: "SHOULD be 0"), refuses a class outside 3-6, a number over 99
/// or a reason that is not well-formed UTF-8 within the bounds.</remarks>
public sealed class ErrorCodeAttribute : StunAttribute
{
    /// <summary>300 Try Alternate (§15.1).</summary>
    public const int TryAlternate = 300;

    /// <summary>400 Bad Request.</summary>
    public const int BadRequest = 400;

    /// <summary>401 Unauthenticated.</summary>
    public const int Unauthenticated = 401;

    /// <summary>420 Unknown Attribute.</summary>
    public const int UnknownAttribute = 420;

    /// <summary>438 Stale Nonce.</summary>
    public const int StaleNonce = 438;

    /// <summary>500 Server Error.</summary>
    public const int ServerError = 500;

    /// <summary>Smallest code: class 3.</summary>
    public const int MinCode = 300;

    /// <summary>Largest code: class 6, number 99.</summary>
    public const int MaxCode = 699;

    /// <summary>Reserved (2) ‖ class (1) ‖ number (1) before the reason.</summary>
    public const int FixedSizeInBytes = 4;

    private readonly byte[] _reason;

    /// <summary>An error with <paramref name="code"/> (300-699) and <paramref name="reason"/>.</summary>
    /// <exception cref="ArgumentException">Code out of range, or the reason over the text bounds.</exception>
    public ErrorCodeAttribute(int code, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, MinCode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, MaxCode);
        _reason = TextAttribute.Encode(reason, StunLimits.MaxTextSizeInBytes, StunLimits.MaxTextCharacters, nameof(reason));
        Code = code;
        Reason = reason;
    }

    /// <summary>The error code, 300-699.</summary>
    public int Code { get; }

    /// <summary>The reason phrase.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.ErrorCode;

    /// <inheritdoc/>
    public override int ValueLength => FixedSizeInBytes + _reason.Length;

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId)
    {
        destination[0] = 0;
        destination[1] = 0;
        destination[2] = (byte)(Code / 100);
        destination[3] = (byte)(Code % 100);
        _reason.CopyTo(destination[FixedSizeInBytes..]);
    }

    internal static ErrorCodeAttribute? TryDecode(ReadOnlySpan<byte> value)
    {
        if (value.Length < FixedSizeInBytes)
        {
            return null;
        }
        int errorClass = value[2] & 0b111, number = value[3];
        if (errorClass is < 3 or > 6 || number > 99)
        {
            return null;
        }
        return SoftwareAttribute.TryDecode(value[FixedSizeInBytes..]) is { } reason
            ? new ErrorCodeAttribute(errorClass * 100 + number, reason.Text)
            : null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"ERROR-CODE {Code} \"{Reason}\"";
}
