namespace SolidBms.Cli.Mqtt;

/// <summary>One message ready to publish (QoS 1 always). The payload is built once: a resend carries the same bytes, sent_ms included.</summary>
public sealed record MqttOutgoing(string Topic, byte[] Payload, bool Retain);
