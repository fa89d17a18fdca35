using System.Buffers.Binary;
using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using SecureComms.Cloud.Proto;

namespace SecureComms.Fuzz.Cloud;

/// <summary>What one step of a <c>cloud-handlers</c> input does.</summary>
internal enum CloudStepKind
{
    /// <summary>A request from a connection.</summary>
    Request,

    /// <summary>The connection's client goes away and comes back anonymous (<see cref="CloudServerCore.Reconnect"/>).</summary>
    Reconnect,

    /// <summary>The clock moves past the ring timeout (<see cref="CloudHandlerInput.ClockStep"/>): pending invites time out.</summary>
    AdvanceClock,

    /// <summary>The clock moves by a session's lifetime: every session of the world has expired.</summary>
    ExpireSessions,
}

/// <summary>One decoded step: a request body (the oneof field of <see cref="ClientFrame"/> and its fuzzed bytes),
/// or an action.</summary>
internal sealed record CloudStep(CloudStepKind Kind, int Connection, FieldDescriptor? Field, byte[] Body);

/// <summary>
/// The input format of the <c>cloud-handlers</c> target: up to <see cref="MaxSteps"/> steps, each
/// <c>op:u8</c> then, for a request, <c>selector:u8 ‖ length:u16le ‖ body[length]</c> (a short read takes what is left).
/// </summary>
/// <remarks>
/// <para><b>op</b>: bits 5–7 the kind (0–5 a request, 6 reconnect, 7 advance the clock: past the ring timeout, or
/// by a session lifetime when bit 4 is set), bits 0–4 the connection (mod <see cref="CloudServerCore.ConnectionCount"/>).</para>
/// <para><b>selector</b> picks the body among <see cref="ClientFrame"/>'s oneof fields, read from its descriptor
/// (so a request added to <c>cloud.proto</c> is fuzzed without a change here): the field with that number, else
/// the (selector mod count)-th by number. Seeds use field numbers, so adding a request does not re-route them.</para>
/// <para><b>body</b> is merged into an empty message of the field's type; a parse failure keeps what was read
/// before it (a partial message), as the fuzzer wants to reach the handler anyway.</para>
/// <para><b>Bias</b> (<see cref="ApplyKnownValues"/>): in the parsed body, and in its nested messages, a string of
/// exactly one character c becomes <see cref="CloudWorld.KnownStrings"/>[c mod n] (usernames, passwords, tokens),
/// and a bytes field of exactly one byte b becomes <see cref="CloudWorld.KnownIds"/>[b mod n], so that short
/// mutations get past the handlers' first checks. No real request loses anything: no valid username, password,
/// token or id has one character or byte. An UploadPreKeys whose identity key is one byte b gets known identity
/// b mod n and the signed prekey it signed (<see cref="CloudKeys"/>): the server verifies that signature.</para>
/// </remarks>
internal static class CloudHandlerInput
{
    /// <summary>Steps read per input; the rest is ignored (keeps an execution in the milliseconds).</summary>
    public const int MaxSteps = 16;

    /// <summary>The largest body a step can carry: 65,535 bytes (a u16 length), far below a frame's 1 MiB.</summary>
    public const int MaxBodySizeInBytes = ushort.MaxValue;

    /// <summary>How far <see cref="CloudStepKind.AdvanceClock"/> moves the clock: past the ring timeout.</summary>
    public static readonly TimeSpan ClockStep = Server.Services.CallLimits.RingTimeout + TimeSpan.FromSeconds(1);

    /// <summary>How far <see cref="CloudStepKind.ExpireSessions"/> moves the clock: a session's lifetime.</summary>
    public static readonly TimeSpan SessionStep = Server.Accounts.SessionToken.Lifetime;

    /// <summary>The request bodies, ordered by field number.</summary>
    public static IReadOnlyList<FieldDescriptor> Bodies { get; } =
        [.. ClientFrame.Descriptor.Oneofs.Single(o => o.Name == "body").Fields.OrderBy(f => f.FieldNumber)];

    /// <summary>The steps of <paramref name="data"/>.</summary>
    public static List<CloudStep> Decode(ReadOnlySpan<byte> data)
    {
        List<CloudStep> steps = [];
        int position = 0;
        while (steps.Count < MaxSteps && position < data.Length)
        {
            byte op = data[position++];
            int connection = (op & 0x1F) % CloudServerCore.ConnectionCount;
            switch (op >> 5)
            {
                case 6:
                    steps.Add(new CloudStep(CloudStepKind.Reconnect, connection, null, []));
                    continue;
                case 7:
                    steps.Add(new CloudStep((op & 0x10) == 0 ? CloudStepKind.AdvanceClock : CloudStepKind.ExpireSessions, 0, null, []));
                    continue;
            }
            int selector = position < data.Length ? data[position++] : 0;
            int length = data.Length - position >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(data[position..]) : 0;
            position = Math.Min(position + 2, data.Length);
            length = Math.Min(length, data.Length - position);
            steps.Add(new CloudStep(CloudStepKind.Request, connection, Select(selector), data.Slice(position, length).ToArray()));
            position += length;
        }
        return steps;
    }

    /// <summary>The request of a step: the body parsed (partially, if it must), biased, under <paramref name="requestId"/>.</summary>
    public static ClientFrame ToFrame(CloudStep step, ulong requestId, IReadOnlyList<string> knownStrings)
    {
        FieldDescriptor field = step.Field ?? throw new ArgumentException("Not a request step.", nameof(step));
        IMessage body = field.MessageType.Parser.ParseFrom(ByteString.Empty);
        try
        {
            body.MergeFrom(step.Body);
        }
        catch (InvalidProtocolBufferException)
        {
            // Keep the fields read before the failure.
        }
        if (body is UploadPreKeys { IdentityKey.Length: 1 } upload)
        {
            (upload.IdentityKey, SignedPreKeyRecord signed) = CloudKeys.Identity(upload.IdentityKey[0]);
            upload.SignedPreKey = signed.Clone();
        }
        ApplyKnownValues(body, knownStrings);
        var frame = new ClientFrame { RequestId = requestId };
        field.Accessor.SetValue(frame, body);
        return frame;
    }

    /// <summary>Encodes a request step (for seeds): <paramref name="connection"/> sends <paramref name="body"/>.</summary>
    public static byte[] Request(int connection, IMessage body)
    {
        byte[] bytes = body.ToByteArray();
        if (bytes.Length > MaxBodySizeInBytes)
        {
            throw new ArgumentException("The body is over the step limit.", nameof(body));
        }
        FieldDescriptor field = Bodies.Single(f => f.MessageType == body.Descriptor);
        byte[] step = new byte[4 + bytes.Length];
        step[0] = (byte)connection;
        step[1] = (byte)field.FieldNumber;
        BinaryPrimitives.WriteUInt16LittleEndian(step.AsSpan(2), (ushort)bytes.Length);
        bytes.CopyTo(step, 4);
        return step;
    }

    /// <summary>Encodes an action step (for seeds).</summary>
    public static byte[] Action(CloudStepKind kind, int connection) => kind switch
    {
        CloudStepKind.Reconnect => [(byte)(6 << 5 | connection)],
        CloudStepKind.AdvanceClock => [7 << 5],
        CloudStepKind.ExpireSessions => [7 << 5 | 0x10],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The one-character string that stands for <paramref name="known"/> (see remarks), as a seed writes it:
    /// a printable ASCII character, from '4' on.</summary>
    public static string Known(KnownString known) => ((char)((int)KnownString.Count * 4 + (int)known)).ToString();

    private static FieldDescriptor Select(int selector) =>
        Bodies.FirstOrDefault(f => f.FieldNumber == selector) ?? Bodies[selector % Bodies.Count];

    private static void ApplyKnownValues(IMessage message, IReadOnlyList<string> knownStrings)
    {
        foreach (FieldDescriptor field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            object? value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                if (value is IList list)
                {
                    for (int i = 0; i < list.Count; i++)
                    {
                        if (list[i] is { } item)
                        {
                            list[i] = Biased(field, item, knownStrings);
                        }
                    }
                }
            }
            else if (value is not null && field.FieldType != FieldType.Message)
            {
                object biased = Biased(field, value, knownStrings);
                if (!ReferenceEquals(biased, value))
                {
                    field.Accessor.SetValue(message, biased);
                }
            }
            else if (value is IMessage nested)
            {
                ApplyKnownValues(nested, knownStrings);
            }
        }
    }

    private static object Biased(FieldDescriptor field, object value, IReadOnlyList<string> knownStrings)
    {
        switch (value)
        {
            case string { Length: 1 } text when field.FieldType == FieldType.String:
                return knownStrings[text[0] % knownStrings.Count];
            case ByteString { Length: 1 } bytes:
                return ByteString.CopyFrom(CloudWorld.KnownIds[bytes[0] % CloudWorld.KnownIds.Count]);
            case IMessage nested:
                ApplyKnownValues(nested, knownStrings);
                return value;
            default:
                return value;
        }
    }
}
