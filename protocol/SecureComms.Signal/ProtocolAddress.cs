namespace SecureComms.Signal;

/// <summary>A peer: a user name and one of that user's devices (libsignal <c>ProtocolAddress</c>).</summary>
/// <param name="Name">The user's stable identifier.</param>
/// <param name="DeviceId">The device.</param>
public readonly record struct ProtocolAddress(string Name, uint DeviceId)
{
    /// <summary>name.device, as libsignal prints it.</summary>
    public override string ToString() => $"{Name}.{DeviceId}";
}
