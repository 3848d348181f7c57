using System;

namespace SolidBms.Cli.Mqtt;

/// <summary>A broker address, mqtt://HOST[:PORT] (port 1883 by default). TLS and credentials are not supported yet.</summary>
public sealed record MqttUrl(string Host, int Port)
{
    public const int DefaultPort = 1883;

    public static MqttUrl Parse(string text, string option = "--mqtt")
    {
        if (text == null || !text.StartsWith("mqtt://", StringComparison.Ordinal))
            throw new UsageException($"{option} must be mqtt://HOST[:PORT], not '{text}'");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0
            || (uri.AbsolutePath != "/" && uri.AbsolutePath != "") || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            throw new UsageException($"{option} must be mqtt://HOST[:PORT], not '{text}'");
        int port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port;
        if (port is < 1 or > 65535) throw new UsageException($"{option}: port {port} is out of range 1..65535");
        return new MqttUrl(uri.Host, port);
    }

    public override string ToString() => $"mqtt://{Host}:{Port}";
}
