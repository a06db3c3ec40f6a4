using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OberaConnect.Fakes.KeyVault;

/// <summary>
/// A self-signed TLS certificate for 127.0.0.1/localhost, made when a fake starts. Nothing trusts it
/// except a client that asks <see cref="Matches"/>: the machine's trust store is never touched.
/// </summary>
public static class LoopbackCertificate
{
    public static X509Certificate2 Create(string subject = "CN=OberaConnect loopback fake")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>True when the server presented exactly <paramref name="expected"/>.</summary>
    public static bool Matches(X509Certificate2 expected, X509Certificate? presented)
        => presented != null && presented.GetCertHashString(HashAlgorithmName.SHA256) == expected.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>An HTTP handler that trusts only <paramref name="certificate"/> (and nothing else, not even public CAs).</summary>
    public static HttpClientHandler TrustingHandler(X509Certificate2 certificate)
        => new()
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, errors) =>
                Matches(certificate, presented) && (errors & ~(SslPolicyErrors.RemoteCertificateChainErrors)) == SslPolicyErrors.None,
        };
}
