using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SecureComms.Crypto;

/// <summary>
/// Base of every secret container: a fixed-length secret owned by one object.
/// </summary>
/// <remarks>
/// <para><b>What.</b> The bytes live in an array allocated on the pinned object heap, so the garbage
/// collector never moves (and so never leaves stale copies of) them. <see cref="Dispose"/> wipes them with
/// <see cref="CryptographicOperations.ZeroMemory"/>; any use afterwards throws
/// <see cref="ObjectDisposedException"/>.</para>
/// <para><b>Export.</b> A secret is not exportable unless it was created with <c>exportable: true</c>;
/// derived types reach their own bytes through <see cref="Value"/> only.</para>
/// <para><b>Display.</b> <see cref="ToString"/> and the debugger show the type and length, never a byte
/// (STYLE.md §10).</para>
/// <para><b>Hazards.</b> A finalizer also wipes, but only when the collector runs: dispose explicitly.
/// Copies the caller made before import are the caller's to wipe.</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public abstract class Secret : IDisposable
{
    private readonly byte[] _value;
    private bool _disposed;

    /// <summary>Creates a container holding a copy of <paramref name="value"/>.</summary>
    protected Secret(ReadOnlySpan<byte> value, bool exportable)
    {
        // Stryker disable once Boolean : whether the array is pinned cannot be observed from a test.
        _value = GC.AllocateArray<byte>(value.Length, pinned: true);
        value.CopyTo(_value);
        IsExportable = exportable;
    }

    /// <summary>Creates a container holding <paramref name="length"/> fresh random bytes.</summary>
    protected Secret(int length, bool exportable)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        // Stryker disable once Boolean : whether the array is pinned cannot be observed from a test.
        _value = GC.AllocateArray<byte>(length, pinned: true);
        RandomNumberGenerator.Fill(_value);
        IsExportable = exportable;
    }

    /// <summary>Finalizer: wipes a container that was never disposed.</summary>
    ~Secret() => CryptographicOperations.ZeroMemory(_value);

    /// <summary>Length of the secret in bytes (not itself secret).</summary>
    public int Length => _value.Length;

    /// <summary>Whether <see cref="Export"/> is allowed.</summary>
    public bool IsExportable { get; }

    /// <summary>Whether the secret has been wiped.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The secret bytes, for the derived type's own computations.</summary>
    /// <exception cref="ObjectDisposedException">The secret has been disposed.</exception>
    protected ReadOnlySpan<byte> Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _value;
        }
    }

    /// <summary>Copies the secret into <paramref name="destination"/>; the caller must wipe it.</summary>
    /// <exception cref="InvalidOperationException">The secret was not created exportable.</exception>
    public void Export(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsExportable)
        {
            throw new InvalidOperationException($"{GetType().Name} was not created exportable.");
        }
        if (destination.Length != _value.Length)
        {
            throw new ArgumentException($"Destination must be {_value.Length} bytes.", nameof(destination));
        }
        _value.CopyTo(destination);
    }

    /// <summary>Constant-time equality of two secrets of the same type (length is not secret).</summary>
    public bool FixedTimeEquals(Secret other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.GetType() == GetType()
            && CryptographicOperations.FixedTimeEquals(Value, other.Value);
    }

    /// <summary>Shows the type and length, never the bytes.</summary>
    public sealed override string ToString() => $"{GetType().Name}({_value.Length} bytes)";

    /// <summary>Wipes the secret. Idempotent.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_value);
        _disposed = true;
        GC.SuppressFinalize(this);
    }
}
