import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FaultlineError } from '../core/index.ts';

const run = promisify(execFile);

/** The PKI of the loopback clusters: one CA that every kubeconfig and webhook registration trusts. */
export interface KubePki {
  dir: string;
  caCert: string;
  caKey: string;
  /** Serves every API server (127.0.0.1 and the in-cluster names). */
  apiserverCert: string;
  apiserverKey: string;
  /** The operator's client certificate, in group system:masters: for setting clusters up, never for faultline runs. */
  adminCert: string;
  adminKey: string;
  /** Chaos Mesh's webhook server certificate (CERTS_DIR holds tls.crt and tls.key). */
  webhookDir: string;
  /** Signs and verifies ServiceAccount tokens. */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

export function pkiPaths(runDir: string): KubePki {
  const dir = join(runDir, 'pki');
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    apiserverCert: join(dir, 'apiserver.crt'),
    apiserverKey: join(dir, 'apiserver.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    webhookDir: join(dir, 'chaos-mesh-webhook'),
    serviceAccountKey: join(dir, 'service-account.key'),
    serviceAccountPub: join(dir, 'service-account.pub'),
  };
}

/**
 * Creates the CA and every certificate with openssl (Debian's), once per run folder: a warm start keeps them, so a
 * kubeconfig written earlier stays valid. Leaf certificates last a year; the CA ten.
 */
export async function ensurePki(runDir: string): Promise<KubePki> {
  const pki = pkiPaths(runDir);
  if ([pki.caCert, pki.apiserverCert, pki.adminCert, join(pki.webhookDir, 'tls.crt'), pki.serviceAccountPub].every(existsSync)) return pki;
  mkdirSync(pki.webhookDir, { recursive: true, mode: 0o700 });
  await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', pki.caKey, '-out', pki.caCert, '-days', '3650', '-subj', '/CN=faultline-loopback-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const serving = 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature';
  await leaf(pki, pki.apiserverKey, pki.apiserverCert, '/CN=kube-apiserver', serving);
  await leaf(pki, pki.adminKey, pki.adminCert, '/O=system:masters/CN=faultline-kube-admin', 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature');
  await leaf(pki, join(pki.webhookDir, 'tls.key'), join(pki.webhookDir, 'tls.crt'), '/CN=chaos-mesh-controller-manager', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature');
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', pki.serviceAccountKey]);
  await openssl(['pkey', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPub]);
  return pki;
}

async function leaf(pki: KubePki, key: string, cert: string, subject: string, extensions: string): Promise<void> {
  const csr = `${cert}.csr`;
  const ext = `${cert}.ext`;
  writeFileSync(ext, extensions + '\n');
  await openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', subject]);
  await openssl(['x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey, '-CAcreateserial', '-out', cert, '-days', '365', '-extfile', ext]);
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new FaultlineError('FAULTLINE_SETUP_MISSING', 'openssl is not installed; the loopback clusters need it for their certificates', 'run `npm run setup`, then retry');
    }
    throw new FaultlineError('FAULTLINE_HARNESS', `openssl ${args[0]} failed: ${err.stderr ?? err.message}`);
  }
}

/** A PEM file as base64, the way kubeconfigs and webhook registrations embed certificates. */
export function base64Of(path: string): string {
  return readFileSync(path).toString('base64');
}
