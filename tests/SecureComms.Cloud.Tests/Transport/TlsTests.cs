using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using SecureComms.Client.Transport;
using SecureComms.Server.Transport;

namespace SecureComms.Cloud.Tests.Transport;

/// <summary>
/// TLS on a real socket: TLS 1.3 only on the server (THREATMODEL: TLS downgrade), the client pinning the
/// deployment CA and checking the host name (wrong CA, wrong host).
/// </summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Ping_gets_a_pong_over_tls13()
    {
        await using var server = TestServer.Start();
        await using var client = await server.ConnectAsync();

        var pong = await client.PingAsync(Encoding.ASCII.GetBytes("hello"));

        Assert.Equal(SslProtocols.Tls13, client.Protocol);
        Assert.Equal("hello", pong.Payload.ToStringUtf8());
    }

    [Fact]
    public async Task Localhost_is_a_valid_name_for_the_server()
    {
        await using var server = TestServer.Start();
        await using var client = await server.ConnectAsync(targetHost: "localhost");

        Assert.Empty((await client.PingAsync()).Payload);
    }

    [Fact]
    public async Task Tls12_only_client_is_refused_by_the_server()
    {
        await using var server = TestServer.Start();

        // The client accepts any certificate: if the handshake fails, it is the server that refused TLS 1.2.
        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAcceptingAnyCertificateAsync(server.Port, SslProtocols.Tls12));

        await server.WaitForCloseAsync(CloseReason.HandshakeFailed);
    }

    [Fact]
    public async Task Client_offering_tls12_and_tls13_gets_tls13()
    {
        // Control for the test above: the same accept-any client succeeds when it may speak TLS 1.3.
        await using var server = TestServer.Start();

        SslProtocols negotiated = await HandshakeAcceptingAnyCertificateAsync(server.Port, SslProtocols.Tls12 | SslProtocols.Tls13);

        Assert.Equal(SslProtocols.Tls13, negotiated);
    }

    [Fact]
    public async Task Client_pinning_another_deployments_ca_is_refused()
    {
        await using var server = TestServer.Start();
        using var other = new TempDeployment();
        using var otherCa = other.PinCa();

        await Assert.ThrowsAsync<AuthenticationException>(() =>
            CloudConnection.ConnectAsync("127.0.0.1", server.Port, otherCa));
    }

    [Fact]
    public async Task Wrong_host_name_is_refused()
    {
        await using var server = TestServer.Start();

        // Right CA, right server, but the certificate is not for evil.example.
        await Assert.ThrowsAsync<AuthenticationException>(() => server.ConnectAsync(targetHost: "evil.example"));
    }

    [Fact]
    public void Pinned_ca_refuses_a_name_mismatch_even_with_a_valid_chain()
    {
        using var deployment = new TempDeployment();
        using var ca = deployment.PinCa();
        using var leaf = deployment.Files.LoadServerCertificate();

        Assert.True(ca.Validate(this, leaf, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.True(ca.Validate(this, leaf, null, SslPolicyErrors.None));
        Assert.False(ca.Validate(this, leaf, null, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(ca.Validate(this, null, null, SslPolicyErrors.None));
    }

    [Fact]
    public void The_ca_certificate_itself_is_refused_as_a_server_certificate()
    {
        // The CA certificate chains to itself but has no serverAuth: it must not pass as a server certificate.
        using var deployment = new TempDeployment();
        using var ca = deployment.PinCa();
        using var caCertificate = deployment.Files.LoadCaCertificate();

        Assert.False(ca.Validate(this, caCertificate, null, SslPolicyErrors.None));
    }

    private static async Task<SslProtocols> HandshakeAcceptingAnyCertificateAsync(int port, SslProtocols protocols)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var ssl = new SslStream(tcp.GetStream());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        }, timeout.Token);
        return ssl.SslProtocol;
    }
}
