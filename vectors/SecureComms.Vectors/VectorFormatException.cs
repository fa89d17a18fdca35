namespace SecureComms.Vectors;

/// <summary>A vector file or case is malformed: the one typed error the loader raises.</summary>
public sealed class VectorFormatException(string message) : Exception(message);
